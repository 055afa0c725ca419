package dev.proactor.integration.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The test server's answers, the same over every protocol (HTTP/2 streams arrive here as HTTP/1 objects):
 * {@code GET /hello...} names the protocol and driver, {@code GET /bytes/N} returns N bytes of {@link #pattern},
 * {@code POST /echo} returns the request body.
 */
final class HelloHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String protocol;
    private final String driver;

    HelloHandler(String protocol, String driver) {
        this.protocol = protocol;
        this.driver = driver;
    }

    /** The first {@code n} bytes of the {@code /bytes/N} body: "0123456789abcdef" repeated. */
    static byte[] pattern(int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) "0123456789abcdef".charAt(i & 15);
        }
        return out;
    }

    /** The body of {@code GET path}. */
    static String hello(String protocol, String driver, String path) {
        return "hello " + protocol + " " + driver + " GET " + path + "\n";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String uri = request.uri();
        FullHttpResponse response;
        if (request.method().equals(HttpMethod.POST) && uri.equals("/echo")) {
            response = ok(request.content().retainedDuplicate(), HttpHeaderValues.APPLICATION_OCTET_STREAM);
        } else if (request.method().equals(HttpMethod.GET) && uri.startsWith("/bytes/")) {
            response = ok(Unpooled.wrappedBuffer(pattern(Integer.parseInt(uri.substring("/bytes/".length())))),
                    HttpHeaderValues.APPLICATION_OCTET_STREAM);
        } else if (request.method().equals(HttpMethod.GET) && uri.startsWith("/hello")) {
            response = ok(Unpooled.copiedBuffer(hello(protocol, driver, uri), StandardCharsets.UTF_8), HttpHeaderValues.TEXT_PLAIN);
        } else {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        if (HttpUtil.isKeepAlive(request)) {
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse ok(ByteBuf body, CharSequence contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
