package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-closure: the client shuts its output down; the server (ALLOW_HALF_CLOSURE) sees the input shutdown
 * events, replies, and the client still reads the reply.
 */
class HalfClosureTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void proactorBothSides(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        try {
            halfClose(group, ProactorServerSocketChannel.class, group, ProactorSocketChannel.class, true, 300_000);
            halfClose(group, ProactorServerSocketChannel.class, group, ProactorSocketChannel.class, false, 1000);
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void proactorClientNioServer(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            halfClose(nio, NioServerSocketChannel.class, group, ProactorSocketChannel.class, true, 300_000);
        } finally {
            TestDrivers.shutdown(group, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void nioClientProactorServer(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            halfClose(group, ProactorServerSocketChannel.class, nio, NioSocketChannel.class, true, 300_000);
        } finally {
            TestDrivers.shutdown(group, nio);
        }
    }

    /**
     * @param afterWrite shut the output down once the write completed; otherwise right after writeAndFlush, while
     *                   the send may still be in flight (the data must still arrive: it is small)
     */
    private static void halfClose(EventLoopGroup serverGroup, Class<? extends ServerChannel> serverClass,
                                  EventLoopGroup clientGroup, Class<? extends Channel> clientClass,
                                  boolean afterWrite, int bytes) throws Exception {
        HalfClosedServer serverHandler = new HalfClosedServer();
        Channel server = new ServerBootstrap().group(serverGroup).channel(serverClass)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(serverHandler)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            ReplyReader reader = new ReplyReader();
            Channel ch = new Bootstrap().group(clientGroup).channel(clientClass).handler(reader)
                    .connect(server.localAddress()).sync().channel();
            DuplexChannel client = (DuplexChannel) ch;
            ByteBuf data = ch.alloc().directBuffer(bytes).writeZero(bytes);
            CompletableFuture<Void> shut = new CompletableFuture<>();
            ch.eventLoop().execute(() -> {
                if (afterWrite) {
                    ch.writeAndFlush(data).addListener((ChannelFutureListener) f ->
                            client.shutdownOutput().addListener(g -> shut.complete(null)));
                } else {
                    ch.writeAndFlush(data);
                    client.shutdownOutput().addListener(g -> shut.complete(null));
                }
            });
            shut.get(10, TimeUnit.SECONDS);
            assertTrue(client.isOutputShutdown());
            assertEquals("got " + bytes, reader.reply.get(10, TimeUnit.SECONDS));
            if (serverClass == ProactorServerSocketChannel.class) {
                assertEquals(List.of("input-shutdown", "input-shutdown-read-complete"), serverHandler.events);
            } else {
                // NIO fires ChannelInputShutdownReadComplete only on a later read, which the close pre-empts.
                assertEquals("input-shutdown", serverHandler.events.get(0));
            }
            assertTrue(serverHandler.inputShutdownSeen.get(10, TimeUnit.SECONDS), "server child's isInputShutdown()");
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
        } finally {
            server.close().sync();
        }
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class HalfClosedServer extends ChannelInboundHandlerAdapter {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Boolean> inputShutdownSeen = new CompletableFuture<>();
        private long received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received += ((ByteBuf) msg).readableBytes();
            ((ByteBuf) msg).release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                events.add("input-shutdown");
                inputShutdownSeen.complete(((DuplexChannel) ctx.channel()).isInputShutdown());
                ctx.writeAndFlush(Unpooled.copiedBuffer("got " + received, StandardCharsets.US_ASCII))
                        .addListener(ChannelFutureListener.CLOSE);
            } else if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                events.add("input-shutdown-read-complete");
            }
        }
    }

    private static final class ReplyReader extends ChannelInboundHandlerAdapter {
        final CompletableFuture<String> reply = new CompletableFuture<>();
        private final StringBuilder sb = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            sb.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
            ((ByteBuf) msg).release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            reply.complete(sb.toString());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            reply.completeExceptionally(cause);
        }
    }
}
