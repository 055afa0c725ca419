package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing a channel, or shutting its event loop group down, while a send or a receive is in flight: the ByteBuf
 * under the op is released only after the op's completion (never while the kernel may use it), and nothing leaks.
 */
class CloseWithWriteInFlightTest {
    private static final int BIG = 16 << 20;

    /** A server whose children never read, so that a big send stays in flight. */
    private static Channel stuckServer(EventLoopGroup group, ChannelGroup children) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.SO_RCVBUF, 16 * 1024)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add(ch);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static ProactorSocketChannel connect(EventLoopGroup group, Channel server) throws InterruptedException {
        return (ProactorSocketChannel) new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                .option(ChannelOption.SO_SNDBUF, 16 * 1024)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
    }

    private static TrackedBuffer big(ProactorSocketChannel ch) {
        TrackedBuffer buf = TrackedBuffer.forSend(ch, BIG);
        buf.writerIndex(BIG);
        return buf;
    }

    private static boolean writeInFlight(ProactorSocketChannel ch) throws Exception {
        return ch.eventLoop().submit(ch::isWriteInFlight).get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeWhileSendWaits(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Channel server = stuckServer(group, children);
            ProactorSocketChannel ch = connect(group, server);
            TrackedBuffer buf = big(ch);
            ChannelFuture write = ch.writeAndFlush(buf);
            Thread.sleep(300);
            assertTrue(writeInFlight(ch), "the send should be waiting for the peer");
            assertFalse(write.isDone());
            assertEquals(1, buf.refCnt());

            ch.close().sync();
            assertFalse(buf.releasedWhileInFlight.get(10, TimeUnit.SECONDS), "released while the send was in flight");
            assertEquals(0, buf.refCnt());
            assertTrue(write.await(10, TimeUnit.SECONDS));
            assertFalse(write.isSuccess());
            server.close().sync();
            children.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeRightAfterWrite(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Channel server = stuckServer(group, children);
            ProactorSocketChannel ch = connect(group, server);
            TrackedBuffer buf = big(ch);
            CompletableFuture<ChannelFuture> write = new CompletableFuture<>();
            // In one event loop task: the send is submitted, then close() must wait for its completion.
            ch.eventLoop().execute(() -> {
                write.complete(ch.writeAndFlush(buf));
                ch.close();
            });
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
            assertFalse(buf.releasedWhileInFlight.get(10, TimeUnit.SECONDS), "released while the send was in flight");
            assertEquals(0, buf.refCnt());
            assertTrue(write.get().await(10, TimeUnit.SECONDS));
            server.close().sync();
            children.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void shutdownOutputWhileSendWaits(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            Channel server = stuckServer(group, children);
            ProactorSocketChannel ch = connect(group, server);
            TrackedBuffer buf = big(ch);
            ChannelFuture write = ch.writeAndFlush(buf);
            Thread.sleep(300);
            assertTrue(writeInFlight(ch), "the send should be waiting for the peer");

            // Netty's shutdownOutput fails and releases the outbound buffer: only after the send's completion.
            ch.shutdownOutput().sync();
            assertTrue(ch.isOutputShutdown());
            assertFalse(buf.releasedWhileInFlight.get(10, TimeUnit.SECONDS), "released while the send was in flight");
            assertEquals(0, buf.refCnt());
            assertTrue(write.await(10, TimeUnit.SECONDS));
            assertFalse(write.isSuccess());
            assertTrue(ch.isOpen(), "shutdownOutput does not close the channel");
            ch.close().sync();
            server.close().sync();
            children.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeWhileReceiveWaits(DriverKind kind) throws Exception {
        // Receives into the channel's own ByteBufs (no provided-buffer ring): the buffer under the RECV is what is
        // checked here. MultishotReceiveTest closes with a multishot receive armed. A small fixed receive size: larger
        // receives wait for readability without a buffer (IdleReceiveBufferTest), smaller ones wait with theirs once
        // the connection has received something (its first data is awaited without a buffer).
        EventLoopGroup group = new ProactorEventLoopGroup(2,
                ProactorIoHandlerConfig.defaults().withDriverKind(kind).withRecvBufferRing(0, 4096));
        ReadBufferTracker tracker = new ReadBufferTracker();
        CompletableFuture<ProactorSocketChannel> child = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, tracker)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(512))
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            tracker.channel = (ProactorSocketChannel) ch;
                            child.complete((ProactorSocketChannel) ch);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel client = connect(group, server);
            ProactorSocketChannel ch = child.get(5, TimeUnit.SECONDS);
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).sync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ch.eventLoop().submit(ch::heldReceiveBufferCapacity).get(5, TimeUnit.SECONDS) == 0) {
                assertTrue(System.nanoTime() < deadline, "after the first data, a receive waits with its buffer");
                Thread.sleep(10);
            }
            assertTrue(ch.eventLoop().submit(ch::isReadInFlight).get(5, TimeUnit.SECONDS), "a receive waits for data");
            TrackedBuffer readBuffer = tracker.last;
            assertEquals(1, readBuffer.refCnt());

            ch.close().sync();
            assertFalse(readBuffer.releasedWhileInFlight.get(10, TimeUnit.SECONDS), "read buffer released while the receive was in flight");
            assertEquals(0, readBuffer.refCnt());
            client.close().sync();
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /** Hands out tracked direct buffers for the channel's receives. */
    private static final class ReadBufferTracker extends io.netty.buffer.AbstractByteBufAllocator {
        volatile ProactorSocketChannel channel;
        volatile TrackedBuffer last;

        ReadBufferTracker() {
            super(true);
        }

        @Override
        protected io.netty.buffer.ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return io.netty.buffer.UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected io.netty.buffer.ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ProactorSocketChannel ch = channel;
            TrackedBuffer b = new TrackedBuffer(this, ch.eventLoop(), ch::isReadInFlight, initialCapacity, maxCapacity);
            last = b;
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void groupShutdownWithOpenConnections(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        Channel server = stuckServer(group, children);
        List<ProactorSocketChannel> clients = new ArrayList<>();
        List<TrackedBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ProactorSocketChannel ch = connect(group, server);
            clients.add(ch);
            if (i % 2 == 0) {
                TrackedBuffer buf = big(ch);
                buffers.add(buf);
                ch.writeAndFlush(buf);
            }
        }
        Thread.sleep(300);
        assertTrue(writeInFlight(clients.get(0)));
        assertEquals(20, children.size());

        // Open connections, sends in flight, receives waiting: shutdown closes them all and terminates.
        assertTrue(group.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS), "shutdown did not complete");
        assertTrue(group.isTerminated());
        assertFalse(server.isOpen());
        for (Channel ch : clients) {
            assertFalse(ch.isOpen(), ch + " still open");
            assertTrue(ch.closeFuture().isDone());
        }
        for (TrackedBuffer buf : buffers) {
            assertFalse(buf.releasedWhileInFlight.get(10, TimeUnit.SECONDS), "released while the send was in flight");
            assertEquals(0, buf.refCnt());
        }
        for (Channel child : children) {
            assertFalse(child.isOpen(), child + " still open");
        }
    }
}
