package dev.proactor.bench;

import dev.proactor.netty.Proactor;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Functional only: the stats side channel and the idle-connection measurement work end to end. Nothing is timed. */
class ServerStatsTest {

    @Test
    void nioServerReportsConnectionsAndMemoryButNoDriverCounters() throws Exception {
        try (BenchServer server = BenchServer.start("nio", "echo", "127.0.0.1", 0, 1)) {
            int statsPort = server.startStatsEndpoint(0);
            Map<String, Long> idle = StatsProbe.query(statsPort, false);
            assertEquals(0L, idle.get("connections"));
            assertTrue(idle.get("heapUsed") > 0 && idle.get("rssBytes") > 0, idle::toString);
            assertFalse(idle.containsKey("kernelWaits"), "NIO has no driver counters: " + idle);
            try (Socket s = echoOnce(server.port())) {
                awaitConnections(statsPort, 1);
            }
            awaitConnections(statsPort, 0);
        }
    }

    @Test
    void proactorServerReportsDriverCountersThatGrowWithTraffic() throws Exception {
        assumeTrue(Proactor.isAvailable(), () -> "Proactor unavailable: " + Proactor.unavailabilityCause());
        String transport = "proactor-" + Proactor.driverKind().propertyName();
        try (BenchServer server = BenchServer.start(transport, "echo", "127.0.0.1", 0, 1)) {
            int statsPort = server.startStatsEndpoint(0);
            Map<String, Long> before = StatsProbe.query(statsPort, false);
            try (Socket s = echoOnce(server.port())) {
                awaitConnections(statsPort, 1);
                Map<String, Long> after = StatsProbe.query(statsPort, true);
                // At least a receive and a send (the multishot accept was armed before; a multishot receive stays armed).
                assertTrue(StatsProbe.delta(before, after, "submitted") >= 2, () -> before + " -> " + after);
                assertTrue(StatsProbe.delta(before, after, "completions") >= 3, () -> before + " -> " + after);
                assertTrue(StatsProbe.delta(before, after, "kernelWaits") >= 1, () -> before + " -> " + after);
            }
        }
    }

    @Test
    void idleConnectionsMeasuresEveryConnectionToSeveralAddresses() throws Exception {
        try (BenchServer server = BenchServer.start("nio", "echo", "0.0.0.0", 0, 1)) {
            int statsPort = server.startStatsEndpoint(0);
            String line = IdleConnections.measure(server.port(), statsPort, 300, 100, 0, "nio");
            assertTrue(line.startsWith("RESULT transport=nio connections=300 "), line);
            Matcher rss = Pattern.compile(" rssBytesPerConn=(-?[0-9.]+) ").matcher(line);
            assertTrue(rss.find(), line);
            awaitConnections(statsPort, 0); // closed again afterwards
        }
    }

    private static Socket echoOnce(int port) throws Exception {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {1, 2, 3});
        assertEquals(3, s.getInputStream().readNBytes(3).length);
        return s;
    }

    private static void awaitConnections(int statsPort, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long seen;
        while ((seen = StatsProbe.query(statsPort, false).get("connections")) != expected) {
            assertTrue(System.nanoTime() < deadline, "server has " + seen + " connections, expected " + expected);
            Thread.sleep(10);
        }
    }
}
