package dev.proactor.bench;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

import java.util.Locale;

/** What a {@link BenchServer} serves. */
enum Workload {
    /** TechEmpower-style HTTP/1.1 plaintext. */
    HTTP,
    /** TCP echo. */
    ECHO;

    static Workload parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown workload '" + s + "', known: http|echo");
        }
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    ChannelInitializer<SocketChannel> childInitializer(HttpDateHeader date) {
        if (this == ECHO) {
            return new ChannelInitializer<>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(EchoServerHandler.INSTANCE);
                }
            };
        }
        HelloWorldHttpHandler handler = new HelloWorldHttpHandler(date);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192)
                        .setValidateHeaders(false)));
                ch.pipeline().addLast(handler);
            }
        };
    }
}
