package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Netty HTTP/1.1 server on Proactor answers curl: many requests over one keep-alive connection. */
class HttpKeepAliveCurlTest {
    private static final int REQUESTS = 300;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void curlKeepAlive(DriverKind kind) throws Exception {
        Assumptions.assumeFalse(com.sun.jna.Platform.isWindows(), "/usr/bin/curl is a Linux program (seen, not runnable, under Wine)");
        Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute(), "curl not installed");
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        AtomicInteger connections = new AtomicInteger();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            connections.incrementAndGet();
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4 << 20), new Responder());
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();

            List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--http1.1", "--max-time", "60"));
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < REQUESTS; i++) {
                cmd.add("http://127.0.0.1:" + port + "/item/" + i);
                expected.append("hello /item/").append(i).append('\n');
            }
            String out = run(cmd);
            assertEquals(expected.toString(), out);
            assertEquals(1, connections.get(), "curl should have reused one keep-alive connection");

            // A 1 MiB upload on a fresh connection: the server answers with its length and checksum.
            byte[] body = new byte[1 << 20];
            new Random(7).nextBytes(body);
            Path file = Files.createTempFile("proactor-upload", ".bin");
            try {
                Files.write(file, body);
                String answer = run(List.of("/usr/bin/curl", "-sS", "--http1.1", "--max-time", "60",
                        "--data-binary", "@" + file, "http://127.0.0.1:" + port + "/upload"));
                assertEquals("hello /upload " + body.length + " " + checksum(body) + "\n", answer);
            } finally {
                Files.deleteIfExists(file);
            }
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(bytes);
        }
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl did not finish");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "curl failed: " + out);
        return out;
    }

    static long checksum(byte[] b) {
        long sum = 0;
        for (byte x : b) {
            sum = sum * 31 + (x & 0xff);
        }
        return sum;
    }

    static long checksum(ByteBuf b) {
        long sum = 0;
        for (int i = b.readerIndex(); i < b.writerIndex(); i++) {
            sum = sum * 31 + (b.getByte(i) & 0xff);
        }
        return sum;
    }

    /** Writes in channelRead and flushes in channelReadComplete, as pipelined HTTP servers do. */
    private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String text = "hello " + req.uri();
            if (req.content().isReadable()) {
                text += " " + req.content().readableBytes() + " " + checksum(req.content());
            }
            ByteBuf content = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(res, content.readableBytes());
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(res, keepAlive);
            if (keepAlive) {
                ctx.write(res);
            } else {
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            cause.printStackTrace();
            ctx.close();
        }
    }
}
