package dev.proactor.integration.http;

import dev.proactor.integration.support.ExternalTools;
import dev.proactor.integration.support.TestCertificates;
import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.proactor.integration.http.HelloHandler.hello;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Netty HTTP/1.1 and HTTP/2 server on Proactor, exercised by curl: HTTP/1.1 keep-alive and uploads, h2c by
 * upgrade and by prior knowledge, and TLS with ALPN choosing h2 or http/1.1 (the certificate is verified).
 */
class HttpCurlTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** curl prints this after each transfer: "#<http version> <new connections>". */
    private static final String WRITE_OUT = "#%{http_version} %{num_connects}\\n";

    @TempDir
    Path tmp;

    @BeforeAll
    static void curlIsInstalled() {
        ExternalTools.require("curl", "curl");
    }

    private static String curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "30", "-w", WRITE_OUT));
        cmd.addAll(List.of(args));
        return ExternalTools.run(TIMEOUT, cmd.toArray(new String[0])).assertSuccess().stdout();
    }

    /** The bodies and write-out lines of several GETs on one curl command line (curl reuses the connection). */
    private static String expectedGets(String protocol, String driver, String version, String... paths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < paths.length; i++) {
            sb.append(hello(protocol, driver, paths[i])).append('#').append(version).append(' ').append(i == 0 ? 1 : 0).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void http11KeepAlive(DriverKind kind) throws Exception {
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            String out = curl("--http1.1", server.http("/hello/1"), server.http("/hello/2"), server.http("/hello/3"));
            assertEquals(expectedGets("http/1.1", kind.toString(), "1.1", "/hello/1", "/hello/2", "/hello/3"), out);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void http11UploadAndDownload(DriverKind kind) throws Exception {
        byte[] upload = new byte[3 << 20];
        new Random(11).nextBytes(upload);
        Path in = Files.write(tmp.resolve("upload.bin"), upload);
        Path echoed = tmp.resolve("echoed.bin");
        Path downloaded = tmp.resolve("downloaded.bin");
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            String out = curl("--http1.1", "--data-binary", "@" + in, "-H", "Content-Type: application/octet-stream",
                    "-o", echoed.toString(), server.http("/echo"));
            assertEquals("#1.1 1\n", out);
            assertArrayEquals(upload, Files.readAllBytes(echoed));
            curl("--http1.1", "-o", downloaded.toString(), server.http("/bytes/" + (5 << 20)));
            assertArrayEquals(HelloHandler.pattern(5 << 20), Files.readAllBytes(downloaded));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2cUpgrade(DriverKind kind) throws Exception {
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            // the first request upgrades the connection; the next ones are streams on it
            String out = curl("--http2", server.http("/hello/a"), server.http("/hello/b"));
            assertEquals(expectedGets("h2c-upgrade", kind.toString(), "2", "/hello/a", "/hello/b"), out);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2cPriorKnowledge(DriverKind kind) throws Exception {
        Path downloaded = tmp.resolve("h2.bin");
        Path echoed = tmp.resolve("h2-echoed.bin");
        byte[] upload = new byte[2 << 20];
        new Random(13).nextBytes(upload);
        Path in = Files.write(tmp.resolve("h2-upload.bin"), upload);
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            // One URL per curl: curl 7.88 (Debian 12) breaks reusing a prior-knowledge connection (curl issue
            // 10634, fixed in 8.0); h2load multiplexes many streams on such connections instead.
            for (String path : List.of("/hello/x", "/hello/y")) {
                assertEquals(expectedGets("h2c-prior-knowledge", kind.toString(), "2", path), curl("--http2-prior-knowledge", server.http(path)));
            }
            // larger than the flow-control windows: needs WINDOW_UPDATEs both ways
            curl("--http2-prior-knowledge", "-o", downloaded.toString(), server.http("/bytes/" + (6 << 20)));
            assertArrayEquals(HelloHandler.pattern(6 << 20), Files.readAllBytes(downloaded));
            curl("--http2-prior-knowledge", "--data-binary", "@" + in, "-o", echoed.toString(), server.http("/echo"));
            assertArrayEquals(upload, Files.readAllBytes(echoed));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void tlsWithAlpn(DriverKind kind) throws Exception {
        String ca = TestCertificates.rootPem().toString();
        Path downloaded = tmp.resolve("tls.bin");
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            String h2 = curl("--cacert", ca, "--http2", server.https("/hello/secure"), server.https("/hello/again"));
            assertEquals(expectedGets("h2", kind.toString(), "2", "/hello/secure", "/hello/again"), h2);
            String http11 = curl("--cacert", ca, "--http1.1", server.https("/hello/old"), server.https("/hello/older"));
            assertEquals(expectedGets("http/1.1+tls", kind.toString(), "1.1", "/hello/old", "/hello/older"), http11);
            curl("--cacert", ca, "--http2", "-o", downloaded.toString(), server.https("/bytes/" + (4 << 20)));
            assertArrayEquals(HelloHandler.pattern(4 << 20), Files.readAllBytes(downloaded));
        }
    }
}
