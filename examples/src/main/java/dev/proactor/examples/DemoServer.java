package dev.proactor.examples;

import dev.proactor.netty.AbstractProactorChannel;
import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.runtime.DriverStats;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo: an HTTP/1.1 keep-alive server on the Proactor transport. It says which driver it chose and why the
 * others were not, then serves until stopped (Ctrl-C shuts it down gracefully and prints each event loop's driver
 * counters).
 *
 * <p>Usage: {@code java -jar proactor-demo.jar [port] [bind address]}; {@code -Dproactor.driver=poll} forces a driver.
 */
public final class DemoServer {
    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        System.out.println("Proactor: " + Proactor.describe());
        Proactor.ensureAvailability();

        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ProactorIoHandler.newFactory());
        try {
            Channel server = start(group, new InetSocketAddress(host, port));
            InetSocketAddress bound = (InetSocketAddress) server.localAddress();
            System.out.println("Serving HTTP on http://" + bound.getHostString() + ":" + bound.getPort()
                    + "/ with the " + Proactor.driverKind() + " driver; try: curl -i http://"
                    + bound.getHostString() + ":" + bound.getPort() + "/");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close().syncUninterruptibly();
                group.shutdownGracefully().syncUninterruptibly();
                printStats(group, System.out);
            }, "demo-shutdown"));
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }

    /** One line per event loop: what its driver did (submissions, completions, kernel waits, batch size, ...). */
    static void printStats(EventLoopGroup group, PrintStream out) {
        List<DriverStats> loops = Proactor.stats(group);
        for (int i = 0; i < loops.size(); i++) {
            out.println("loop " + i + " " + loops.get(i));
        }
        out.flush();
    }

    /** Binds the demo server on {@code group}; the caller closes the returned channel. */
    public static Channel start(EventLoopGroup group, InetSocketAddress address) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(ProactorServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new HelloHandler());
                    }
                })
                .bind(address).sync().channel();
    }

    /** Answers every request with a short text naming the driver. */
    static final class HelloHandler extends SimpleChannelInboundHandler<HttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            String text = "Hello from Proactor (" + ((AbstractProactorChannel) ctx.channel()).driverKind() + " driver): " + request.method() + " "
                    + request.uri() + "\n";
            ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=UTF-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.SERVER, "proactor-demo");
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
