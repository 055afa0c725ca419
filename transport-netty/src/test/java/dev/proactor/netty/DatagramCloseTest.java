package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a datagram channel (or shutting its event loop down) while receives are in flight, with datagrams
 * streaming in: every read buffer is released exactly once, on the event loop, and never while a receive op
 * into it is still in flight.
 */
class DatagramCloseTest {

    /** Read buffers that record whether the receive into them was still in flight when they were freed. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<TrackedBuffer> buffers = new CopyOnWriteArrayList<>();
        volatile ProactorDatagramChannel channel;

        TrackingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ProactorDatagramChannel ch = channel;
            long[] address = new long[1];
            TrackedBuffer b = new TrackedBuffer(this, ch.eventLoop(), () -> ch.isReceiveInFlightAt(address[0]),
                    initialCapacity, maxCapacity);
            address[0] = b.memoryAddress();
            buffers.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeWithReceivesInFlight(DriverKind kind) throws Exception {
        for (int round = 0; round < 5; round++) {
            run(kind, false);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void shutdownWithReceivesInFlight(DriverKind kind) throws Exception {
        run(kind, true);
    }

    private static void run(DriverKind kind, boolean shutdownInstead) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        TrackingAllocator alloc = new TrackingAllocator();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = null;
        try {
            ProactorDatagramChannel ch = new ProactorDatagramChannel(SocketProtocolFamily.INET);
            alloc.channel = ch;
            new Bootstrap().group(group).channelFactory(() -> ch)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
                            received.incrementAndGet();
                        }
                    })
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync();
            InetSocketAddress to = ch.localAddress();
            sender = new Thread(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    byte[] b = new byte[100];
                    while (!stop.get()) {
                        s.send(new java.net.DatagramPacket(b, b.length, to));
                    }
                } catch (Exception ignore) {
                    // stops
                }
            });
            sender.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.get() < 200 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(received.get() >= 200, "datagrams flow");
            if (shutdownInstead) {
                TestDrivers.shutdown(group);
            } else {
                ch.close().sync();
            }
            stop.set(true);
            sender.join();
            for (TrackedBuffer b : alloc.buffers) {
                boolean inFlight = b.releasedWhileInFlight.get(10, TimeUnit.SECONDS);
                assertFalse(inFlight, "a read buffer was released while its receive was in flight");
            }
        } finally {
            stop.set(true);
            if (sender != null) {
                sender.join();
            }
            TestDrivers.shutdown(group);
        }
    }
}
