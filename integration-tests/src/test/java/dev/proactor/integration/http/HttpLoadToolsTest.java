package dev.proactor.integration.http;

import dev.proactor.integration.support.ExternalTools;
import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load from real tools on the Netty HTTP server on Proactor: h2load (many concurrent streams on several h2c and
 * h2 connections, and pipelined HTTP/1.1), and wrk (keep-alive HTTP/1.1, every body checked by a Lua script).
 * Every request must succeed; throughput is not asserted (benchmarks measure it).
 */
class HttpLoadToolsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern H2LOAD_REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    private static final Pattern H2LOAD_STATUS = Pattern.compile("status codes: (\\d+) 2xx, (\\d+) 3xx, (\\d+) 4xx, (\\d+) 5xx");
    private static final Pattern H2LOAD_PROTOCOL = Pattern.compile("Application protocol: (\\S+)");
    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final Pattern WRK_CHECKED = Pattern.compile("checked: (\\d+) good, (\\d+) bad");

    /** Runs h2load and checks its summary: all {@code n} requests done, succeeded and answered 2xx. */
    private static void h2load(int n, String expectedProtocol, String... args) {
        ExternalTools.require("h2load", "nghttp2-client");
        String[] cmd = new String[args.length + 3];
        cmd[0] = "h2load";
        cmd[1] = "-n";
        cmd[2] = String.valueOf(n);
        System.arraycopy(args, 0, cmd, 3, args.length);
        ExternalTools.Result result = ExternalTools.run(TIMEOUT, cmd).assertSuccess();
        String out = result.stdout();
        Matcher requests = find(H2LOAD_REQUESTS, out, result);
        for (int group = 1; group <= 4; group++) {
            assertEquals(n, Integer.parseInt(requests.group(group)), "total/started/done/succeeded in " + requests.group());
        }
        for (int group = 5; group <= 7; group++) {
            assertEquals(0, Integer.parseInt(requests.group(group)), "failed/errored/timeout in " + requests.group() + "\n" + result);
        }
        assertEquals(String.valueOf(n), find(H2LOAD_STATUS, out, result).group(1), "2xx answers\n" + result);
        assertEquals(expectedProtocol, find(H2LOAD_PROTOCOL, out, result).group(1));
    }

    private static Matcher find(Pattern pattern, String text, Object context) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), "no '" + pattern + "' in the output of\n" + context);
        return m;
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2loadCleartextPriorKnowledge(DriverKind kind) throws Exception {
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            // 4 connections x 32 concurrent streams
            h2load(6000, "h2c", "-c", "4", "-m", "32", "-t", "1", server.http("/hello/load"));
            // bodies larger than a DATA frame and, together, than the windows: flow control under load
            h2load(400, "h2c", "-c", "2", "-m", "16", "-t", "1", server.http("/bytes/" + (96 << 10)));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2loadTls(DriverKind kind) throws Exception {
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            h2load(1500, "h2", "-c", "3", "-m", "16", "-t", "1", server.https("/hello/tls"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void h2loadPipelinedHttp11(DriverKind kind) throws Exception {
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            // --h1 with -m 8: eight requests pipelined on each keep-alive connection
            h2load(4000, "http/1.1", "--h1", "-c", "4", "-m", "8", "-t", "1", server.http("/hello/pipelined"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void wrkKeepAliveWithCheckedBodies(DriverKind kind) throws Exception {
        ExternalTools.require("wrk", "wrk");
        Path script = Files.createTempFile("check-body", ".lua");
        try (InputStream in = HttpLoadToolsTest.class.getResourceAsStream("/wrk/check-body.lua");
             HttpTestServer server = HttpTestServer.start(kind)) {
            assertNotNull(in);
            Files.write(script, in.readAllBytes());
            String path = "/hello/wrk";
            ExternalTools.Result result = ExternalTools.run(TIMEOUT, "wrk", "-t", "2", "-c", "16", "-d", "2s",
                    "-s", script.toString(), server.http(path), "--", HelloHandler.hello("http/1.1", kind.toString(), path))
                    .assertSuccess();
            String out = result.stdout();
            long requests = Long.parseLong(find(WRK_REQUESTS, out, result).group(1));
            Matcher checked = find(WRK_CHECKED, out, result);
            assertTrue(requests > 0, result.toString());
            assertEquals(requests, Long.parseLong(checked.group(1)), "every response good\n" + result);
            assertEquals("0", checked.group(2), "bad responses\n" + result);
            assertFalse(out.contains("Socket errors"), result.toString());
            assertFalse(out.contains("Non-2xx"), result.toString());
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
