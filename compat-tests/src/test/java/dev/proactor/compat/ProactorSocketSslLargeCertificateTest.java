package dev.proactor.compat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SNIHostName;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scenario of Netty's {@code SocketSslLargeCertificateTest} on Proactor channels: that test hard-codes NIO
 * channels, so it cannot be subclassed. A TLS 1.3 client authenticates with a certificate whose size walks the
 * last 768 bytes up to the 16 KiB handshake-message limit, through OpenSSL with a raised certificate-list limit;
 * the handshake (sent as several TLS records) must complete and a message must echo back intact. One server per
 * pair serves every case; each case is a new connection with a new client certificate.
 *
 * <p>The full sweep (769 handshakes, each with a freshly issued certificate) costs about 40 s of CPU per column,
 * so it runs in the two columns where both ends are the same Proactor driver ({@link SingleDriver}); Proactor
 * against NIO and io_uring against poll are covered by the other SSL tests, which run in every column.
 */
@SingleDriver
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ProactorSocketSslLargeCertificateTest {
    private static final int MAX_HANDSHAKE_MESSAGE = 16384;
    private static final String MESSAGE = "hello";

    private final Map<TransportPair, Channel> servers = new LinkedHashMap<>();
    private CertificateBuilder base;
    private X509Bundle root;
    private SslContext serverSsl;
    /** Where the connection under test reports; the server's handlers pick it up when they are created. */
    private volatile Promise<String> outcome;

    @BeforeAll
    void startServers() throws Exception {
        assumeTrue(OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL),
                "OpenSSL with TLS 1.3 is not available");
        base = new CertificateBuilder()
                .ecp256()
                .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature, CertificateBuilder.KeyUsage.keyCertSign);
        root = base.copy().subject("cn=root.proactor.test").setIsCertificateAuthority(true).buildSelfSigned();
        X509Bundle server = base.copy().subject("cn=localhost").addExtendedKeyUsageServerAuth().buildIssuedBy(root);
        serverSsl = SslContextBuilder.forServer(server.getKeyPair().getPrivate(), server.getCertificatePath())
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(root.getCertificate())
                .protocols("TLSv1.3")
                .clientAuth(ClientAuth.REQUIRE)
                .option(OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES, 32768)
                .build();
        for (TransportPair pair : ProactorSocketTestPermutation.INSTANCE.pairs()) {
            servers.put(pair, ProactorSocketTestPermutation.INSTANCE.serverFactory(pair.server()).newInstance()
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(serverSsl.newHandler(ch.alloc()), new EchoHandler(outcome));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel());
        }
    }

    @AfterAll
    void stopServers() throws InterruptedException {
        for (Channel server : servers.values()) {
            server.close().sync();
        }
    }

    static IntStream extensionSizes() {
        return IntStream.rangeClosed(MAX_HANDSHAKE_MESSAGE - 768, MAX_HANDSHAKE_MESSAGE);
    }

    @ParameterizedTest
    @MethodSource("extensionSizes")
    void handshakeWithLargeClientCertificate(int extensionSize) throws Exception {
        byte[] extension = new byte[extensionSize];
        ThreadLocalRandom.current().nextBytes(extension);
        X509Bundle clientCert = base.copy()
                .subject("cn=client")
                .addExtendedKeyUsageClientAuth()
                .addExtensionOctetString("1.2.840.113635.100.6.2.1", false, extension)
                .buildIssuedBy(root);
        SslContext clientSsl = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .keyManager(clientCert.getKeyPair().getPrivate(), clientCert.getCertificatePath())
                .trustManager(root.getCertificate())
                .protocols("TLSv1.3")
                .option(OpenSslContextOption.MAX_CERTIFICATE_LIST_BYTES, 32768)
                .serverName(new SNIHostName("localhost"))
                .endpointIdentificationAlgorithm(null)
                .build();
        for (Map.Entry<TransportPair, Channel> server : servers.entrySet()) {
            echoOverTls(server.getKey(), server.getValue(), clientSsl);
        }
    }

    private void echoOverTls(TransportPair pair, Channel server, SslContext clientSsl) throws Exception {
        Promise<String> echoed = ImmediateEventExecutor.INSTANCE.newPromise();
        outcome = echoed;
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        Channel client = ProactorSocketTestPermutation.INSTANCE.clientFactory(pair.client()).newInstance()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(clientSsl.newHandler(ch.alloc(), "localhost", port),
                                new SendAndCollect(echoed));
                    }
                })
                .connect(server.localAddress()).sync().channel();
        try {
            assertEquals(MESSAGE, echoed.get(30, TimeUnit.SECONDS), pair.id());
        } finally {
            client.close().sync();
        }
    }

    /** Server side: fails the test on a failed handshake, echoes everything else. */
    private static final class EchoHandler extends ChannelInboundHandlerAdapter {
        private final Promise<String> result;

        EchoHandler(Promise<String> result) {
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent) evt).isSuccess()) {
                result.tryFailure(((SslHandshakeCompletionEvent) evt).cause());
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }
    }

    /** Client side: sends the message once the handshake is done and completes with what comes back. */
    private static final class SendAndCollect extends SimpleChannelInboundHandler<ByteBuf> {
        private final Promise<String> result;
        private final StringBuilder received = new StringBuilder();

        SendAndCollect(Promise<String> result) {
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent done = (SslHandshakeCompletionEvent) evt;
                if (done.isSuccess()) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer(MESSAGE, StandardCharsets.US_ASCII));
                } else {
                    result.tryFailure(done.cause());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            received.append(msg.toString(StandardCharsets.US_ASCII));
            if (received.length() >= MESSAGE.length()) {
                result.trySuccess(received.toString());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.tryFailure(new IllegalStateException("closed before the echo arrived; got '" + received + "'"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.tryFailure(cause);
            ctx.close();
        }
    }
}
