package dev.proactor.integration.http;

import dev.proactor.integration.support.Loops;
import dev.proactor.integration.support.TestCertificates;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * Netty's HTTP/1.1 and HTTP/2 codecs served from Proactor channels, on two ports: cleartext (HTTP/1.1 with
 * WebSocket at /ws, h2c by upgrade, h2c with prior knowledge) and TLS (ALPN choosing h2 or http/1.1).
 */
final class HttpTestServer implements AutoCloseable {
    static final int MAX_CONTENT = 16 << 20;

    final DriverKind kind;
    private final EventLoopGroup group;
    private final Channel cleartext;
    private final Channel tls;

    private HttpTestServer(DriverKind kind, EventLoopGroup group, Channel cleartext, Channel tls) {
        this.kind = kind;
        this.group = group;
        this.cleartext = cleartext;
        this.tls = tls;
    }

    static HttpTestServer start(DriverKind kind) throws Exception {
        EventLoopGroup group = Loops.proactor(kind, 2);
        try {
            String driver = kind.toString();
            Channel cleartext = bind(group, new CleartextInitializer(driver));
            Channel tls = bind(group, new TlsInitializer(sslContext(), driver));
            return new HttpTestServer(kind, group, cleartext, tls);
        } catch (Exception | Error e) {
            Loops.shutdown(group);
            throw e;
        }
    }

    private static Channel bind(EventLoopGroup group, ChannelHandler childHandler) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(ProactorServerSocketChannel.class)
                .childHandler(childHandler)
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    private static SslContext sslContext() throws Exception {
        X509Bundle cert = TestCertificates.server();
        return SslContextBuilder.forServer(cert.getKeyPair().getPrivate(), cert.getCertificatePath())
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    int cleartextPort() {
        return ((InetSocketAddress) cleartext.localAddress()).getPort();
    }

    int tlsPort() {
        return ((InetSocketAddress) tls.localAddress()).getPort();
    }

    String http(String path) {
        return "http://127.0.0.1:" + cleartextPort() + path;
    }

    String https(String path) {
        return "https://localhost:" + tlsPort() + path;
    }

    @Override
    public void close() {
        try {
            cleartext.close().syncUninterruptibly();
            tls.close().syncUninterruptibly();
        } finally {
            Loops.shutdown(group);
        }
    }

    /** Each HTTP/2 stream becomes a child channel speaking HTTP/1 objects to the same {@link HelloHandler}. */
    private static Http2MultiplexHandler http2(String protocol, String driver) {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_CONTENT), new HelloHandler(protocol, driver));
            }
        });
    }

    private static void addHttp1(ChannelPipeline pipeline, String protocol, String driver) {
        pipeline.addLast(new HttpObjectAggregator(MAX_CONTENT),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath("/ws").maxFramePayloadLength(1 << 20).build()),
                new WebSocketEchoHandler(),
                new HelloHandler(protocol, driver));
    }

    private static final class CleartextInitializer extends ChannelInitializer<Channel> {
        private final String driver;

        CleartextInitializer(String driver) {
            this.driver = driver;
        }

        @Override
        protected void initChannel(Channel ch) {
            HttpServerCodec http1 = new HttpServerCodec();
            HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                    AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), http2("h2c-upgrade", driver))
                            : null, MAX_CONTENT);
            ChannelHandler priorKnowledge = new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel c) {
                    c.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), http2("h2c-prior-knowledge", driver));
                }
            };
            ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, priorKnowledge));
            // Reached only by a request that did not upgrade: it stays HTTP/1.1.
            ch.pipeline().addLast(new SimpleChannelInboundHandler<HttpMessage>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, HttpMessage msg) {
                    ChannelPipeline pipeline = ctx.pipeline();
                    addHttp1(pipeline, "http/1.1", driver);
                    pipeline.remove(this);
                    ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
                }
            });
        }
    }

    private static final class TlsInitializer extends ChannelInitializer<Channel> {
        private final SslContext sslContext;
        private final String driver;

        TlsInitializer(SslContext sslContext, String driver) {
            this.sslContext = sslContext;
            this.driver = driver;
        }

        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(sslContext.newHandler(ch.alloc()),
                    new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                        @Override
                        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), http2("h2", driver));
                            } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                                ctx.pipeline().addLast(new HttpServerCodec());
                                addHttp1(ctx.pipeline(), "http/1.1+tls", driver);
                            } else {
                                throw new IllegalStateException("unexpected ALPN protocol " + protocol);
                            }
                        }
                    });
        }
    }
}
