package dev.proactor.reliability.faults;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM: the two-line switch to Proactor with automatic driver selection (several event loops, so several
 * drivers), one echo through it, then prints {@code DRIVER=<kind of the connected channel>} and {@code ECHO=ok}.
 */
public final class EchoOnceChild {
    public static void main(String[] args) throws Exception {
        EventLoopGroup group = new ProactorEventLoopGroup(3);
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            ProactorSocketChannel client = (ProactorSocketChannel) new Bootstrap().group(group)
                    .channel(ProactorSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf b = (ByteBuf) msg;
                            echoed.complete(b.toString(java.nio.charset.StandardCharsets.US_ASCII));
                            b.release();
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer("ok", java.nio.charset.StandardCharsets.US_ASCII));
            String echo = echoed.get(10, TimeUnit.SECONDS);
            System.out.println("DRIVER=" + client.driverKind());
            System.out.println("DEFAULT=" + Proactor.driverKind());
            System.out.println("ECHO=" + echo);
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }
}
