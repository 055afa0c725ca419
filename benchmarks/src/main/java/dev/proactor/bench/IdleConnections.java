package dev.proactor.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Memory per idle connection of a benchmark server: reads the server's heap (after a full GC) and RSS through its
 * {@link ServerStatsEndpoint}, opens {@code --connections} connections that never send anything, waits until the
 * server has accepted them all, reads the figures again and prints one {@code RESULT key=value ...} line with the
 * difference per connection.
 *
 * <p>Towards one address there are about 28,000 ephemeral ports, so the connections go to 127.0.0.1, 127.0.0.2, ...
 * ({@code --per-address} each; the server listens on 0.0.0.0). They are not bound explicitly: a port taken by bind()
 * could not be used by any other process's connect() until released, and would starve a shared machine. They end with
 * a reset (SO_LINGER 0), so they leave no TIME_WAIT behind for the next measurement. Blocking JDK sockets: the load's
 * own transport does not matter here.
 *
 * <pre>java -cp proactor-benchmarks.jar dev.proactor.bench.IdleConnections --port 8081 --stats-port 9081 --connections 50000</pre>
 */
public final class IdleConnections {

    private IdleConnections() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("port", "stats-port", "connections", "per-address", "settle",
                "transport"), Set.of());
        int port = cl.getInt("port", 8081);
        int statsPort = cl.getInt("stats-port", -1);
        int n = cl.getInt("connections", 50_000);
        int perAddress = cl.getInt("per-address", 20_000);
        double settleSeconds = cl.getDouble("settle", 1);
        if (statsPort <= 0) {
            throw new IllegalArgumentException("--stats-port is required (the server's ServerStatsEndpoint)");
        }
        System.out.println(measure(port, statsPort, n, perAddress, settleSeconds, cl.get("transport", "?")));
        System.out.flush();
    }

    /** The measurement; returns the {@code RESULT ...} line. */
    static String measure(int port, int statsPort, int n, int perAddress, double settleSeconds, String transport)
            throws IOException, InterruptedException {
        long initial = StatsProbe.query(statsPort, false).get("connections");
        // A first batch, closed again: what the first connections cost once (classes, pools, caches) is not per connection.
        closeAll(open(port, Math.min(1000, Math.max(1, n / 10)), perAddress, statsPort, initial));
        awaitConnections(statsPort, initial, true, 60);

        Map<String, Long> before = StatsProbe.query(statsPort, true);
        long start = System.nanoTime();
        List<SocketChannel> open = List.of();
        try {
            open = open(port, n, perAddress, statsPort, before.get("connections"));
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep((long) (settleSeconds * 1000));
            Map<String, Long> after = StatsProbe.query(statsPort, true);

            long connections = StatsProbe.delta(before, after, "connections");
            StringBuilder line = new StringBuilder("RESULT");
            line.append(" transport=").append(transport);
            line.append(" connections=").append(connections);
            line.append(" heapBytesPerConn=").append(fmt((double) StatsProbe.delta(before, after, "heapUsed") / connections));
            line.append(" rssBytesPerConn=").append(fmt((double) StatsProbe.delta(before, after, "rssBytes") / connections));
            line.append(" heapUsedMiB=").append(fmt(after.get("heapUsed") / 1048576.0));
            line.append(" rssMiB=").append(fmt(after.get("rssBytes") / 1048576.0));
            line.append(" connectSeconds=").append(fmt(connectSeconds));
            return line.toString();
        } finally {
            closeAll(open);
        }
    }

    /** Opens {@code n} connections and returns once the server has accepted them all (on top of {@code already}). */
    private static List<SocketChannel> open(int port, int n, int perAddress, int statsPort,
                                            long already) throws IOException, InterruptedException {
        List<SocketChannel> open = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                SocketChannel ch = SocketChannel.open();
                open.add(ch);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                ch.connect(new InetSocketAddress("127.0.0." + (1 + i / perAddress), port));
                if ((i + 1) % 2000 == 0) {
                    // keep the server's accept queue (backlog 4096) from overflowing: dropped SYNs cost a second each
                    awaitConnections(statsPort, already + i + 1 - 2000, false, 60);
                }
            }
            awaitConnections(statsPort, already + n, false, 60);
            return open;
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeAll(open);
            throw e;
        }
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Waits until the server has at least (or, with {@code atMost}, at most) {@code count} connections. */
    private static void awaitConnections(int statsPort, long count, boolean atMost, int timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        long seen;
        while (atMost ? (seen = StatsProbe.query(statsPort, false).get("connections")) > count
                : (seen = StatsProbe.query(statsPort, false).get("connections")) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server has " + seen + " connections after " + timeoutSeconds
                        + " s, expected " + (atMost ? "at most " : "at least ") + count);
            }
            Thread.sleep(10);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
