package dev.proactor.bench;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.runtime.DriverStats;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.EventExecutor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * A benchmark server's side channel, on its own loopback port and thread (outside the event loops under test):
 * a client sends one line, {@code stats} or {@code gc-stats} (full GC first, for memory figures), and gets one line
 * of {@code key=value} pairs back: open connections, heap used, RSS and, for Proactor, the driver counters summed
 * over the event loops ({@code submitted completions polls kernelWaits directCalls cancels bufferRecycles}; absent
 * otherwise).
 */
final class ServerStatsEndpoint implements AutoCloseable {

    private final ServerSocket socket;
    private final Thread thread;

    private ServerStatsEndpoint(ServerSocket socket, EventLoopGroup group, IntSupplier connections) {
        this.socket = socket;
        this.thread = new Thread(() -> serve(group, connections), "bench-stats");
        thread.setDaemon(true);
        thread.start();
    }

    /** Listens on 127.0.0.1:{@code port} (0: any free port). */
    static ServerStatsEndpoint start(int port, EventLoopGroup group, IntSupplier connections) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return new ServerStatsEndpoint(s, group, connections);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(EventLoopGroup group, IntSupplier connections) {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(10_000);
                String command = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                String answer = "gc-stats".equals(command) ? line(group, connections, true)
                        : "stats".equals(command) ? line(group, connections, false)
                        : "ERROR unknown command '" + command + "' (stats|gc-stats)";
                OutputStream out = client.getOutputStream();
                out.write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("stats endpoint: " + e);
                }
            }
        }
    }

    static String line(EventLoopGroup group, IntSupplier connections, boolean gcFirst) {
        if (gcFirst) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
        }
        StringBuilder b = new StringBuilder("STATS connections=").append(connections.getAsInt());
        b.append(" heapUsed=").append(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        b.append(" rssBytes=").append(rssBytes());
        DriverStats d = driverStats(group);
        if (d != null) {
            b.append(" submitted=").append(d.submitted()).append(" completions=").append(d.completions())
                    .append(" polls=").append(d.polls()).append(" kernelWaits=").append(d.kernelWaits())
                    .append(" directCalls=").append(d.directCalls())
                    .append(" cancels=").append(d.cancels()).append(" bufferRecycles=").append(d.bufferRecycles());
        }
        return b.toString();
    }

    /** The Proactor driver counters summed over the group's loops; null for another transport. */
    static DriverStats driverStats(EventLoopGroup group) {
        EventExecutor first = group.next();
        if (!(first instanceof IoEventLoop) || !((IoEventLoop) first).isIoType(ProactorIoHandler.class)) {
            return null;
        }
        DriverStats sum = null;
        for (DriverStats s : Proactor.stats(group)) {
            sum = sum == null ? s : sum.plus(s);
        }
        return sum;
    }

    /** Resident set size from /proc/self/status (VmRSS), or -1 where there is none. */
    static long rssBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
