package dev.proactor.reliability.faults;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.reliability.chaos.PatternStream;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.uring.UringDriver;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * io_uring with a completion queue of 2 or 4 entries, and hundreds of connections echoing at once, so completions
 * arrive far faster than the CQ holds them: the kernel parks the rest in its overflow list (NODROP) and the
 * driver must fetch them. Every byte of every connection comes back in order, and every connection finishes:
 * no completion is lost at the Netty level. The driver's overflow counter proves the CQ did overflow.
 */
class CqOverflowTest {
    private static final int CONNECTIONS = 200;
    private static final int BYTES_PER_CONNECTION = 256 * 1024;

    @ParameterizedTest(name = "cq={0}")
    @ValueSource(ints = {2, 4})
    void noCompletionIsLost(int cqEntries) throws Exception {
        assumeTrue(Proactor.isAvailable(DriverKind.IO_URING), "io_uring unavailable here");
        ProactorIoHandlerConfig config = ProactorIoHandlerConfig.defaults().withDriverKind(DriverKind.IO_URING)
                .withSubmissionEntries(2).withCompletionEntries(cqEntries);
        EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, ProactorIoHandler.newFactory(config));
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, ProactorIoHandler.newFactory(config));
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.write(msg);
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            ctx.flush();
                        }

                        @Override
                        public boolean isSharable() {
                            return true;
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            List<CompletableFuture<Long>> done = new ArrayList<>();
            Bootstrap b = new Bootstrap().group(clientGroup).channel(ProactorSocketChannel.class);
            for (int i = 0; i < CONNECTIONS; i++) {
                CompletableFuture<Long> f = new CompletableFuture<>();
                done.add(f);
                b.clone().handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new EchoChecker(f));
                    }
                }).connect(server.localAddress()).addListener(x -> {
                    if (!x.isSuccess()) {
                        f.completeExceptionally(x.cause());
                    }
                });
            }
            long verified = 0;
            for (CompletableFuture<Long> f : done) {
                verified += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals((long) CONNECTIONS * BYTES_PER_CONNECTION, verified);
            long flushes = overflowFlushes(serverGroup) + overflowFlushes(clientGroup);
            System.out.println("CQ " + cqEntries + " entries: " + CONNECTIONS + " connections, " + verified
                    + " bytes echoed and verified, " + flushes + " overflow flushes");
            assertTrue(flushes > 0, "the CQ never overflowed: the test proved nothing");
            server.close().sync();
        } finally {
            clientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    /** Sends the pattern in random-size writes and checks the echo; completes with the bytes checked. */
    private static final class EchoChecker extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Long> done;
        private final long seed = ThreadLocalRandom.current().nextLong();
        private final byte[] scratch = PatternStream.newScratch();
        private long received;

        EchoChecker(CompletableFuture<Long> done) {
            this.done = done;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            long sent = 0;
            while (sent < BYTES_PER_CONNECTION) {
                int n = (int) Math.min(BYTES_PER_CONNECTION - sent, ThreadLocalRandom.current().nextInt(1, 8192));
                ByteBuf buf = ctx.alloc().directBuffer(n);
                PatternStream.write(buf, seed, sent, n);
                ctx.write(buf);
                sent += n;
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int bad = PatternStream.verify(buf, seed, received, scratch);
                if (bad >= 0) {
                    done.completeExceptionally(new AssertionError("echo differs at " + (received + bad)));
                    ctx.close();
                    return;
                }
                received += buf.readableBytes();
            } finally {
                buf.release();
            }
            if (received == BYTES_PER_CONNECTION) {
                done.complete(received);
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }

    /** The driver's overflow counter, read on its own thread (its ProactorIoHandler is not public API). */
    private static long overflowFlushes(EventLoopGroup group) throws Exception {
        long sum = 0;
        Method ioHandler = SingleThreadIoEventLoop.class.getDeclaredMethod("ioHandler");
        ioHandler.setAccessible(true);
        Field driverField = ProactorIoHandler.class.getDeclaredField("driver");
        driverField.setAccessible(true);
        for (EventExecutor e : group) {
            Driver d = (Driver) driverField.get(ioHandler.invoke(e));
            sum += ((EventLoop) e).submit(() -> ((UringDriver) d).overflowFlushes()).get(5, TimeUnit.SECONDS);
        }
        return sum;
    }
}
