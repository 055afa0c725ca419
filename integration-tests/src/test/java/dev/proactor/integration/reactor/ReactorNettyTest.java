package dev.proactor.integration.reactor;

import dev.proactor.integration.support.Loops;
import dev.proactor.netty.AbstractProactorChannel;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.netty.channel.Channel;
import io.netty.resolver.DefaultAddressResolverGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reactor Netty's HttpServer and HttpClient on Proactor (through {@link ProactorLoopResources} and
 * {@code runOn}): routes, uploads, a connection pool under concurrent requests, a streaming response, and h2c.
 */
class ReactorNettyTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A server and a client on Proactor with a forced driver; records every channel either side used. */
    private static final class Setup implements AutoCloseable {
        final DriverKind kind;
        final ProactorLoopResources loops;
        final ConnectionProvider pool = ConnectionProvider.create("proactor-it", 16);
        final List<Channel> channels = new CopyOnWriteArrayList<>();
        DisposableServer server;
        HttpClient client;

        Setup(DriverKind kind) {
            this.kind = kind;
            this.loops = new ProactorLoopResources(Loops.proactor(kind, 2), Loops.proactor(kind, 1));
        }

        Setup start(HttpServer configured, HttpProtocol protocol) {
            server = configured
                    .runOn(loops)
                    .protocol(protocol)
                    .host("127.0.0.1")
                    .port(0)
                    .doOnChannelInit((observer, channel, address) -> channels.add(channel))
                    .bindNow(TIMEOUT);
            channels.add(server.channel());
            client = HttpClient.create(pool)
                    .runOn(loops)
                    .protocol(protocol)
                    // Netty's DNS resolver would need a datagram channel
                    .resolver(DefaultAddressResolverGroup.INSTANCE)
                    .baseUrl("http://127.0.0.1:" + server.port())
                    .doOnChannelInit((observer, channel, address) -> channels.add(channel));
            return this;
        }

        void assertAllOnProactor() {
            assertTrue(channels.size() >= 3, "server, accepted and client channels: " + channels);
            for (Channel channel : channels) {
                Channel transport = channel.parent() != null && !(channel instanceof AbstractProactorChannel)
                        ? channel.parent() : channel; // an HTTP/2 stream channel rides on its connection
                assertTrue(transport instanceof ProactorSocketChannel || transport instanceof ProactorServerSocketChannel,
                        "not a Proactor channel: " + channel);
                assertEquals(kind, ((AbstractProactorChannel) transport).driverKind());
            }
        }

        @Override
        public void close() {
            try {
                if (server != null) {
                    server.disposeNow(TIMEOUT);
                }
                pool.disposeLater().block(TIMEOUT);
            } finally {
                loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(TIMEOUT);
            }
        }
    }

    private static HttpServer routes() {
        return HttpServer.create().route(r -> r
                .get("/hello/{name}", (req, res) -> res.sendString(Mono.just("hello " + req.param("name"))))
                .post("/echo", (req, res) -> res.send(req.receive().retain()))
                .get("/stream/{n}", (req, res) -> res.sendString(
                        Flux.range(0, Integer.parseInt(req.param("n"))).map(i -> "line " + i + "\n"))));
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void routesUploadsAndPooledConcurrentRequests(DriverKind kind) {
        try (Setup s = new Setup(kind).start(routes(), HttpProtocol.HTTP11)) {
            assertEquals("hello proactor", s.client.get().uri("/hello/proactor")
                    .responseContent().aggregate().asString().block(TIMEOUT));

            byte[] upload = new byte[2 << 20];
            new Random(3).nextBytes(upload);
            byte[] echoed = s.client.post().uri("/echo").send(ByteBufFlux.fromInbound(Mono.just(upload)))
                    .responseContent().aggregate().asByteArray().block(TIMEOUT);
            assertArrayEquals(upload, echoed);

            List<String> answers = Flux.range(0, 300)
                    .flatMap(i -> s.client.get().uri("/hello/" + i).responseContent().aggregate().asString().map(body -> i + "=" + body), 32)
                    .collectList().block(TIMEOUT);
            assertEquals(IntStream.range(0, 300).mapToObj(i -> i + "=hello " + i).collect(Collectors.toSet()),
                    new java.util.HashSet<>(answers));
            s.assertAllOnProactor();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void streamingResponse(DriverKind kind) {
        CompletableFuture<Void> clientSawFirstChunk = new CompletableFuture<>();
        // The last line is produced only after the client has received the first: a response that the server
        // (or the transport) held back until complete would never finish.
        HttpServer streaming = HttpServer.create().route(r -> r.get("/live", (req, res) -> res.sendString(
                Flux.concat(Flux.just("first\n"), Mono.fromFuture(clientSawFirstChunk).thenReturn("last\n")))));
        try (Setup s = new Setup(kind).start(streaming, HttpProtocol.HTTP11)) {
            List<String> chunks = s.client.get().uri("/live").responseContent().asString()
                    .doOnNext(chunk -> clientSawFirstChunk.complete(null))
                    .collectList().block(TIMEOUT);
            assertEquals("first\nlast\n", String.join("", chunks));
            assertTrue(chunks.size() >= 2, "arrived in separate chunks: " + chunks);
            s.assertAllOnProactor();
        }
        try (Setup s = new Setup(kind).start(routes(), HttpProtocol.HTTP11)) {
            String lines = s.client.get().uri("/stream/20000").responseContent().aggregate().asString().block(TIMEOUT);
            assertEquals(IntStream.range(0, 20000).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()), lines);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2cServerAndClient(DriverKind kind) {
        try (Setup s = new Setup(kind).start(routes(), HttpProtocol.H2C)) {
            List<String> answers = Flux.range(0, 200)
                    .flatMap(i -> s.client.get().uri("/hello/" + i).responseSingle((res, body) -> {
                        assertEquals("HTTP/2.0", res.version().text());
                        return body.asString();
                    }), 64)
                    .collectList().block(TIMEOUT);
            assertEquals(200, answers.size());
            assertFalse(answers.stream().anyMatch(a -> !a.startsWith("hello ")), answers.toString());
            String lines = s.client.get().uri("/stream/5000").responseContent().aggregate().asString().block(TIMEOUT);
            assertEquals(IntStream.range(0, 5000).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()), lines);
            s.assertAllOnProactor();
        }
    }
}
