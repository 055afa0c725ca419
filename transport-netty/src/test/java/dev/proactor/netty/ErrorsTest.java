package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.NativeError;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures surface as the exceptions Netty users expect, naming the errno. */
class ErrorsTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void connectToAClosedPortIsRefused(DriverKind kind) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try {
            ChannelFuture f = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertTrue(f.await(10, TimeUnit.SECONDS));
            Throwable cause = f.cause();
            assertInstanceOf(ConnectException.class, cause);
            assertTrue(cause.getMessage().contains("ECONNREFUSED"), cause.getMessage());
            assertTrue(cause.getMessage().contains(String.valueOf(port)), "names the address: " + cause.getMessage());
            NativeError err = nativeError(cause);
            assertNotNull(err, "a NativeError in the cause chain");
            assertEquals("ECONNREFUSED", err.codeName());
            assertTrue(f.channel().closeFuture().await(5, TimeUnit.SECONDS));
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void connectTimeout(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        // A listener that never accepts, its queue filled: Linux drops further SYNs, so a connect hangs.
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 4; i++) {
                SocketChannel s = SocketChannel.open();
                s.configureBlocking(false);
                s.connect(full.getLocalSocketAddress());
                fillers.add(s);
            }
            Thread.sleep(100);
            long start = System.nanoTime();
            ChannelFuture f = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(full.getLocalSocketAddress());
            assertTrue(f.await(10, TimeUnit.SECONDS));
            assertInstanceOf(ConnectTimeoutException.class, f.cause());
            assertTrue(f.cause().getMessage().contains(String.valueOf(full.getLocalPort())), f.cause().getMessage());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "timed out too early");
            assertTrue(f.channel().closeFuture().await(5, TimeUnit.SECONDS), "closed after the timeout");
        } finally {
            for (SocketChannel s : fillers) {
                s.close();
            }
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void disconnectCloses(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(EchoHandlers.EchoServer.INSTANCE)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            // A receive is waiting: disconnect must cancel it and close safely (the leak check sees its buffer).
            ch.disconnect().sync();
            assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS));
            assertFalse(ch.isOpen());
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void writeAfterCloseFailsAndReleases(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(EchoHandlers.EchoServer.INSTANCE)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(server.localAddress()).sync().channel();
            ch.close().sync();
            ByteBuf buf = ch.alloc().directBuffer(16).writeLong(1);
            ChannelFuture f = ch.writeAndFlush(buf);
            assertTrue(f.await(5, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, f.cause());
            assertEquals(0, buf.refCnt(), "the message must be released");

            ByteBuf heap = io.netty.buffer.Unpooled.buffer(8).writeLong(2);
            f = ch.writeAndFlush(heap);
            assertTrue(f.await(5, TimeUnit.SECONDS));
            assertInstanceOf(ClosedChannelException.class, f.cause());
            assertEquals(0, heap.refCnt());
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void unresolvedAddress(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try {
            ChannelFuture f = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .resolver(NoopAddressResolverGroup.INSTANCE)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(InetSocketAddress.createUnresolved("proactor.invalid", 80));
            assertTrue(f.await(5, TimeUnit.SECONDS));
            assertInstanceOf(UnresolvedAddressException.class, f.cause());

            ChannelFuture b = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(InetSocketAddress.createUnresolved("proactor.invalid", 0));
            assertTrue(b.await(5, TimeUnit.SECONDS));
            assertInstanceOf(UnresolvedAddressException.class, b.cause());
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void resetByPeerFailsTheReadWithEconnreset(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try {
            // The server answers the first byte with a reset: SO_LINGER 0, then close.
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childOption(ChannelOption.SO_LINGER, 0)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ((ByteBuf) msg).release();
                            ctx.close();
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            failure.complete(cause);
                        }

                        @Override
                        public void channelInactive(ChannelHandlerContext ctx) {
                            failure.complete(null);
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            ch.writeAndFlush(ch.alloc().directBuffer(1).writeByte(1));
            Throwable cause = failure.get(10, TimeUnit.SECONDS);
            assertNotNull(cause, "the reset must surface as an exception, not as a clean EOF");
            assertInstanceOf(IOException.class, cause);
            assertTrue(cause.getMessage().contains("ECONNRESET"), cause.getMessage());
            assertEquals("ECONNRESET", nativeError(cause).codeName());
            assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS), "the channel closes after the reset");
            assertFalse(ch.isActive());
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    static NativeError nativeError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof NativeError) {
                return (NativeError) c;
            }
        }
        return null;
    }
}
