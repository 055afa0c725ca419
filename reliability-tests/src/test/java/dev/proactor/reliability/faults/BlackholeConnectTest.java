package dev.proactor.reliability.faults;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connect attempts from a JVM inside a network namespace of its own, never to a public address:
 * <ul>
 * <li>a blackhole: 10.99.0.2 is on a veth link whose other end (in a second namespace) owns no such address,
 * with a static neighbour entry, so the SYNs leave and nothing ever answers. The connect timeout must fire
 * (ConnectTimeoutException, not before the timeout) and the channel must close;</li>
 * <li>no route at all (10.98.0.1): the kernel refuses at once, ENETUNREACH named in the exception.</li>
 * </ul>
 * Every driver, in the child. Both namespaces (and with them the veth pair) are deleted afterwards. Needs root
 * and iproute2; skipped otherwise.
 */
class BlackholeConnectTest {
    private static final String NS = "proactor-bh-" + ProcessHandle.current().pid();
    private static final String PEER_NS = NS + "-peer";
    private static final int TIMEOUT_MILLIS = 800;

    @BeforeAll
    static void createNamespaces() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for ip netns");
        assumeTrue(Files.isExecutable(Paths.get("/usr/sbin/ip")) || Files.isExecutable(Paths.get("/sbin/ip")),
                "needs iproute2");
        ip("netns", "add", NS);
        ip("netns", "add", PEER_NS);
        ip("-n", NS, "link", "set", "lo", "up");
        ip("-n", NS, "link", "add", "bh0", "type", "veth", "peer", "name", "bh1", "netns", PEER_NS);
        ip("-n", NS, "addr", "add", "10.99.0.1/24", "dev", "bh0");
        ip("-n", NS, "link", "set", "bh0", "up");
        ip("-n", PEER_NS, "link", "set", "bh1", "up");
        // A MAC nobody has: frames go out on the link and are dropped by the other end, without an ARP failure.
        ip("-n", NS, "neigh", "add", "10.99.0.2", "lladdr", "02:00:00:00:00:02", "dev", "bh0", "nud", "permanent");
    }

    @AfterAll
    static void deleteNamespaces() throws Exception {
        List<String> left = new ArrayList<>();
        for (String ns : List.of(NS, PEER_NS)) {
            if (namespaces().contains(ns)) {
                ip("netns", "del", ns);
            }
            if (namespaces().contains(ns)) {
                left.add(ns);
            }
        }
        assertTrue(left.isEmpty(), "namespaces left behind: " + left);
    }

    @Test
    void connectTimeoutFiresOnABlackholedAddress() throws Exception {
        List<String> results = attempt("10.99.0.2");
        for (String r : results) {
            String[] f = r.split(" ");
            assertEquals("io.netty.channel.ConnectTimeoutException", f[3], r);
            assertTrue(Long.parseLong(f[2]) >= TIMEOUT_MILLIS, "fired before the timeout: " + r);
            assertTrue(r.endsWith("closed=true"), r);
        }
    }

    @Test
    void noRouteFailsAtOnceNamingTheErrno() throws Exception {
        List<String> results = attempt("10.98.0.1");
        for (String r : results) {
            assertTrue(r.contains("ENETUNREACH"), r);
            assertFalse(r.contains("ConnectTimeoutException"), r);
            assertTrue(r.endsWith("closed=true"), r);
        }
    }

    /** Runs the child in the namespace; returns its RESULT lines, having checked its descriptors. */
    private static List<String> attempt(String host) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("ip", "netns", "exec", NS), List.of(), ConnectAttemptChild.class,
                host, "9", Integer.toString(TIMEOUT_MILLIS))) {
            assertEquals(0, child.waitFor(60, TimeUnit.SECONDS), () -> String.join("\n", child.lines()));
            List<String> results = child.lines().stream().filter(l -> l.startsWith("RESULT "))
                    .collect(Collectors.toList());
            results.forEach(r -> System.out.println("connect to " + host + " in a namespace: " + r));
            assertFalse(results.isEmpty(), () -> String.join("\n", child.lines()));
            String fds = child.lines().stream().filter(l -> l.startsWith("FDS_LEFT_OPEN ")).findFirst().orElseThrow();
            assertEquals("FDS_LEFT_OPEN []", fds, "descriptors left open by the failed connects");
            return results;
        }
    }

    private static List<String> namespaces() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.lines().map(l -> l.split(" ")[0]).collect(Collectors.toList());
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
