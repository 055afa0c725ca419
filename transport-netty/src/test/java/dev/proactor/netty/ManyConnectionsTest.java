package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 1,000 connections open at the same time, each echoing its own id. */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 1000;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void thousandConcurrentConnections(DriverKind kind) throws Exception {
        EventLoopGroup serverGroup = TestDrivers.proactor(kind, 2);
        EventLoopGroup clientGroup = TestDrivers.proactor(kind, 2);
        ChannelGroup serverChildren = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            Channel server = new ServerBootstrap().group(serverGroup).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            serverChildren.add(ch);
                            ch.pipeline().addLast(EchoHandlers.EchoServer.INSTANCE);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();

            CountDownLatch echoed = new CountDownLatch(CONNECTIONS);
            AtomicInteger wrong = new AtomicInteger();
            Bootstrap b = new Bootstrap().group(clientGroup).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new IdClient(echoed, wrong, failure));
                        }
                    });
            List<ChannelFuture> connects = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++) {
                connects.add(b.connect(server.localAddress()));
            }
            List<Channel> clients = new ArrayList<>();
            for (ChannelFuture f : connects) {
                clients.add(f.sync().channel());
            }
            assertTrue(echoed.await(60, TimeUnit.SECONDS), "echoes missing: " + echoed.getCount());
            assertNull(failure.get());
            assertEquals(0, wrong.get());
            // All of them were open at once.
            assertEquals(CONNECTIONS, clients.stream().filter(Channel::isActive).count());
            assertEquals(CONNECTIONS, serverChildren.size());
            for (Channel c : clients) {
                c.close();
            }
            for (Channel c : clients) {
                assertTrue(c.closeFuture().await(10, TimeUnit.SECONDS));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!serverChildren.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(serverChildren.isEmpty(), serverChildren.size() + " server children still open after the peers closed");
            server.close().sync();
        } finally {
            TestDrivers.shutdown(clientGroup, serverGroup);
        }
    }

    private static final class IdClient extends ChannelInboundHandlerAdapter {
        private static final AtomicInteger IDS = new AtomicInteger();
        private final CountDownLatch echoed;
        private final AtomicInteger wrong;
        private final AtomicReference<Throwable> failure;
        private final long id = IDS.incrementAndGet();

        IdClient(CountDownLatch echoed, AtomicInteger wrong, AtomicReference<Throwable> failure) {
            this.echoed = echoed;
            this.wrong = wrong;
            this.failure = failure;
        }

        private ByteBuf acc;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            acc = ctx.alloc().buffer(8);
            ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(id));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            acc.writeBytes(b);
            b.release();
            if (acc.readableBytes() == 8) {
                if (acc.readLong() != id) {
                    wrong.incrementAndGet();
                }
                echoed.countDown();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (acc != null) {
                acc.release();
                acc = null;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.compareAndSet(null, cause);
            ctx.close();
        }
    }
}
