package dev.proactor.reliability.regressions;

import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by the chaos test: another thread turns auto-read off (the channel queues "stop reading" on its event
 * loop), and before that task runs the event loop turns auto-read on again. The late task must not cancel the
 * read that auto-read now wants, or the channel never reads again (a connection stalls for good).
 */
class AutoReadRaceTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void socketKeepsReading(DriverKind kind) throws Exception {
        EventLoopGroup group = group(kind);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Object> read = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ReferenceCountUtil.release(msg);
                            read.complete(msg);
                        }
                    })
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort())).sync().channel();
            try (Socket peer = listener.accept()) {
                offFromAnotherThreadThenOnFromTheLoop(ch);
                OutputStream out = peer.getOutputStream();
                out.write(new byte[] {1, 2, 3});
                out.flush();
                assertTrue(read.isDone() || waitFor(read), "auto-read is on, but the data is never read");
            }
            ch.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void serverKeepsAccepting(DriverKind kind) throws Exception {
        EventLoopGroup group = group(kind);
        try {
            CompletableFuture<Object> accepted = new CompletableFuture<>();
            ProactorServerSocketChannel server = new ProactorServerSocketChannel();
            server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ((Channel) msg).unsafe().closeForcibly();
                    accepted.complete(msg);
                }
            });
            group.register(server).sync();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
            offFromAnotherThreadThenOnFromTheLoop(server);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.localAddress().getPort())) {
                assertTrue(waitFor(accepted), "auto-read is on, but the connection is never accepted");
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** The loop is held busy while another thread turns auto-read off; then the loop turns it back on. */
    private static void offFromAnotherThreadThenOnFromTheLoop(Channel ch) throws InterruptedException {
        CountDownLatch loopHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ch.eventLoop().execute(() -> {
            loopHeld.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ch.config().setAutoRead(true);
        });
        assertTrue(loopHeld.await(5, TimeUnit.SECONDS));
        ch.config().setAutoRead(false); // queues its "stop reading" behind the task holding the loop
        release.countDown();
        ch.eventLoop().submit(() -> { }).await(5, TimeUnit.SECONDS); // both tasks have run
    }

    private static boolean waitFor(CompletableFuture<?> f) {
        try {
            f.get(3, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static EventLoopGroup group(DriverKind kind) {
        return new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
    }
}
