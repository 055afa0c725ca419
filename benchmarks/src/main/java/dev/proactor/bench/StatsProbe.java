package dev.proactor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Asks a benchmark server's {@link ServerStatsEndpoint} for one line of figures, as a map of key to number. */
final class StatsProbe {

    private StatsProbe() {
    }

    static Map<String, Long> query(int port, boolean gcFirst) {
        try (Socket s = new Socket()) {
            s.setSoTimeout(30_000);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            s.getOutputStream().write((gcFirst ? "gc-stats\n" : "stats\n").getBytes(StandardCharsets.US_ASCII));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null || !line.startsWith("STATS ")) {
                throw new IllegalStateException("stats endpoint on port " + port + " answered: " + line);
            }
            Map<String, Long> values = new HashMap<>();
            for (String kv : line.substring(6).split(" ")) {
                int eq = kv.indexOf('=');
                values.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("stats endpoint on port " + port, e);
        }
    }

    /** {@code after - before} of one key, or -1 if the server does not report it. */
    static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        Long a = after.get(key);
        Long b = before.get(key);
        return a == null || b == null ? -1 : a - b;
    }
}
