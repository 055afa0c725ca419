package dev.proactor.reliability.faults;

import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server in a child JVM with {@code ulimit -n 64} runs out of descriptors: connections wait in the backlog and
 * every accept fails with EMFILE. The server must back off instead of retrying in a loop (its CPU time while
 * stuck is measured from /proc and must stay low, and the errors it reports must be few), and once descriptors
 * are free again it must serve new connections. With a ServerBootstrap (Netty's acceptor pauses auto-read for a
 * second on errors) and with the bare server channel (the channel itself has to back off).
 */
class EmfileTest {
    private static final int FILE_LIMIT = 64;
    private static final long WINDOW_MILLIS = 3_000;
    /** A retry loop burns a whole core; a back-off uses almost nothing. */
    private static final long MAX_CPU_MILLIS_IN_WINDOW = WINDOW_MILLIS / 5;

    static Stream<Arguments> cases() {
        return dev.proactor.netty.TestDrivers.available()
                .flatMap(k -> Stream.of(Arguments.of(k, "bootstrap"), Arguments.of(k, "bare")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void acceptBacksOffAtEmfileAndRecovers(DriverKind kind, String mode) throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(ChildJvm.withFileLimit(FILE_LIMIT),
                List.of("-Dproactor.driver=" + kind), EmfileServerChild.class, mode)) {
            int port = Integer.parseInt(child.await(l -> l.startsWith("PORT="), 30, TimeUnit.SECONDS).substring(5));
            String fds = child.await(l -> l.startsWith("FDS="), 1, TimeUnit.SECONDS);

            // The kernel completes these handshakes from the backlog whether or not the server accepts them.
            for (int i = 0; i < FILE_LIMIT + 40 && !sawEmfile(child); i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
                if (i % 8 == 7) {
                    Thread.sleep(20);
                }
            }
            child.await(l -> l.startsWith("ACCEPT_ERROR") && l.contains("EMFILE"), 10, TimeUnit.SECONDS);
            Thread.sleep(300);

            long errors0 = errorLines(child);
            long cpu0 = child.cpuMillis();
            Thread.sleep(WINDOW_MILLIS);
            long cpu = child.cpuMillis() - cpu0;
            long errors = errorLines(child) - errors0;
            System.out.println("EMFILE " + kind + " " + mode + ": " + fds + " at start, " + clients.size()
                    + " connections opened; while stuck for " + WINDOW_MILLIS + " ms: child CPU " + cpu + " ms, "
                    + errors + " accept errors reported");
            assertTrue(cpu < MAX_CPU_MILLIS_IN_WINDOW, "busy at EMFILE: " + cpu + " ms CPU in " + WINDOW_MILLIS + " ms");
            // A retry loop makes hundreds of thousands; the back-off a few dozen.
            assertTrue(errors <= WINDOW_MILLIS / 20, "accept retried " + errors + " times in " + WINDOW_MILLIS + " ms");

            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            long t0 = System.nanoTime();
            assertTrue(echoWithin(port, 20_000), () -> "no service after descriptors were freed:\n"
                    + String.join("\n", tail(child.lines())));
            System.out.println("EMFILE " + kind + " " + mode + ": serving again "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms after the descriptors were freed");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    private static boolean sawEmfile(ChildJvm child) {
        return child.lines().stream().anyMatch(l -> l.startsWith("ACCEPT_ERROR"));
    }

    /** The error count the child printed last (it prints one every 250 ms). */
    private static long errorLines(ChildJvm child) {
        List<String> lines = child.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("ERRORS=")) {
                return Long.parseLong(lines.get(i).substring(7));
            }
        }
        return 0;
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    /** Retries a one-byte echo on a new connection until it works or time is up. */
    private static boolean echoWithin(int port, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2_000);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                out.write(42);
                out.flush();
                if (in.read() == 42) {
                    return true;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        return false;
    }
}
