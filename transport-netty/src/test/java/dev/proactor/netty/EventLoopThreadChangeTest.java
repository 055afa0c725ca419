package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.AutoScalingEventExecutorChooserFactory;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event loops that change threads (Netty's suspension, used by auto-scaling groups): the loop suspends only when
 * no channel is registered and no op of a closed channel is still in flight; the thread that leaves closes its
 * driver, and the next thread opens its own, on which channels work as before.
 */
class EventLoopThreadChangeTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void suspendedLoopResumesOnANewThreadWithAWorkingDriver(DriverKind kind) throws Exception {
        EventLoopGroup nio = TestDrivers.nio(1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        try {
            SocketAddress echo = echoServer(nio);
            EventLoop loop = (EventLoop) group.next();
            Thread previous = null;
            long fdsAfterFirstCycle = 0;
            for (int cycle = 0; cycle < 5; cycle++) {
                Thread thread = loop.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
                assertNotSame(previous, thread, "a resumed loop runs on a new thread");
                Channel ch = connect(loop, echo);
                roundTrip(ch, cycle);

                assertTrue(loop.trySuspend(), "the loop supports suspension");
                // A registered channel keeps it running (and working).
                thread.join(300);
                assertTrue(thread.isAlive(), "a loop with a registered channel must not suspend");
                roundTrip(ch, cycle);

                // Closing leaves the close op in flight for a moment: the loop suspends only after it completed.
                ch.close();
                thread.join(10_000);
                assertFalse(thread.isAlive(), "the loop's thread left it once the channel was closed");
                assertTrue(loop.isSuspended());
                previous = thread;
                if (cycle == 0 && !Boolean.getBoolean("proactor.test.wine")) {
                    fdsAfterFirstCycle = openDescriptors();
                }
            }
            // Each cycle opened a driver and a socket: both were closed (no driver left open by a departed thread,
            // no socket whose close op was dropped).
            // Not under Wine: there /proc/self/fd is the Wine process's, which caches descriptors of its own.
            if (!Boolean.getBoolean("proactor.test.wine")) {
                long growth = openDescriptors() - fdsAfterFirstCycle;
                assertTrue(growth <= 2, "descriptors grew by " + growth + " over 4 suspend/resume cycles");
            }
        } finally {
            TestDrivers.shutdown(group, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void autoScalingGroupScalesDownAndTheResumedLoopServes(DriverKind kind) throws Exception {
        EventLoopGroup nio = TestDrivers.nio(1);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, (Executor) null,
                new AutoScalingEventExecutorChooserFactory(1, 2, 100, TimeUnit.MILLISECONDS, 0.2, 0.9, 2, 2, 1),
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        try {
            SocketAddress echo = echoServer(nio);
            for (EventExecutor e : group) {
                e.submit(() -> { }).get(10, TimeUnit.SECONDS);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (active(group) > 1 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, active(group), "an idle group scales down to its minimum");
            EventLoop suspended = null;
            for (EventExecutor e : group) {
                if (e.isSuspended()) {
                    suspended = (EventLoop) e;
                }
            }
            // Registering a channel resumes the loop on a new thread; its new driver serves the channel.
            Channel ch = connect(suspended, echo);
            assertFalse(suspended.isSuspended());
            roundTrip(ch, 7);
            ch.close().sync();
        } finally {
            TestDrivers.shutdown(group, nio);
        }
    }

    private static SocketAddress echoServer(EventLoopGroup nio) throws InterruptedException {
        return new ServerBootstrap().group(nio).channel(NioServerSocketChannel.class)
                .childHandler(EchoHandlers.EchoServer.INSTANCE)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel().localAddress();
    }

    private static Channel connect(EventLoop loop, SocketAddress to) throws InterruptedException {
        return new Bootstrap().group(loop).channel(ProactorSocketChannel.class)
                .handler(new io.netty.channel.ChannelInboundHandlerAdapter())
                .connect(to).sync().channel();
    }

    /** Writes a few bytes and reads them back through a handler added for the purpose. */
    private static void roundTrip(Channel ch, long seed) throws Exception {
        byte[] data = EchoHandlers.EchoClient.randomBytes(1000, seed);
        EchoHandlers.EchoClient client = new EchoHandlers.EchoClient(data, seed);
        ch.pipeline().addLast(client); // handlerAdded: channelActive is not called again, so send by hand
        ch.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(data)).sync();
        assertArrayEquals(data, client.received.get(10, TimeUnit.SECONDS));
        ch.pipeline().remove(client);
    }

    private static int active(EventLoopGroup group) {
        int n = 0;
        for (EventExecutor e : group) {
            if (!e.isSuspended()) {
                n++;
            }
        }
        return n;
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
