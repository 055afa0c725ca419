package dev.proactor.bench;

import dev.proactor.bench.transport.Transport;
import dev.proactor.bench.transport.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server under load: HTTP plaintext or echo on one transport, with one event loop thread unless told
 * otherwise. Prints a {@code READY ...} line once it accepts connections and a {@code STOPPED ...} line
 * after a clean shutdown (SIGTERM / SIGINT).
 *
 * <p>With {@code --stats-port} it also answers {@link ServerStatsEndpoint} queries (connections, memory, and the
 * Proactor driver counters) on that loopback port.
 *
 * <pre>java -jar proactor-benchmarks.jar --transport epoll --workload http --port 8080 [--threads 1] [--bind 127.0.0.1] [--stats-port 9000]
 * java -jar proactor-benchmarks.jar --list</pre>
 */
public final class BenchServer implements AutoCloseable {

    private final Transport transport;
    private final Workload workload;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final AtomicInteger connections;
    private ServerStatsEndpoint stats;

    private BenchServer(Transport transport, Workload workload, EventLoopGroup group, Channel serverChannel,
                        AtomicInteger connections) {
        this.transport = transport;
        this.workload = workload;
        this.group = group;
        this.serverChannel = serverChannel;
        this.connections = connections;
    }

    /** Binds and starts serving; {@code port} 0 picks a free port (see {@link #port()}). */
    public static BenchServer start(String transportName, String workloadName, String bindHost, int port,
                                    int threads) throws InterruptedException {
        Transport transport = Transports.byName(transportName);
        Workload workload = Workload.parse(workloadName);
        EventLoopGroup group = transport.newEventLoopGroup(threads, "server");
        AtomicInteger connections = new AtomicInteger();
        ChannelInitializer<SocketChannel> serve = workload.childInitializer(new HttpDateHeader(group));
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            connections.incrementAndGet();
                            ch.closeFuture().addListener(f -> connections.decrementAndGet());
                            ch.pipeline().addLast(serve);
                        }
                    })
                    .bind(new InetSocketAddress(bindHost, port)).sync().channel();
            return new BenchServer(transport, workload, group, channel, connections);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Serves {@link ServerStatsEndpoint} figures on 127.0.0.1:{@code port} (0: a free port) until closed. */
    public int startStatsEndpoint(int port) throws IOException {
        stats = ServerStatsEndpoint.start(port, group, connections::get);
        return stats.port();
    }

    /** Connections accepted and not closed yet. */
    public int connections() {
        return connections.get();
    }

    /** The figures the stats endpoint would answer, as one line. */
    public String statsLine(boolean gcFirst) {
        return ServerStatsEndpoint.line(group, connections::get, gcFirst);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Stops accepting, closes every connection and waits for the event loops to end. */
    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String describe() {
        return "transport=" + transport.name() + " workload=" + workload.label() + " port=" + port()
                + " pid=" + ProcessHandle.current().pid();
    }

    public static void main(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("transport", "workload", "port", "threads", "bind", "stats-port"),
                Set.of("list"));
        if (cl.has("list")) {
            listTransports();
            return;
        }
        BenchServer server = start(cl.require("transport"), cl.get("workload", "http"),
                cl.get("bind", "0.0.0.0"), cl.getInt("port", 8080), cl.getInt("threads", 1));
        String statsPort = cl.has("stats-port") ? " stats-port=" + server.startStatsEndpoint(cl.getInt("stats-port", 0)) : "";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("STOPPED " + server.describe() + " " + server.statsLine(false).substring("STATS ".length()));
            System.out.flush();
        }, "bench-server-shutdown"));
        System.out.println("READY " + server.describe() + " threads=" + cl.getInt("threads", 1) + statsPort);
        System.out.flush();
        // the (non-daemon) event loop threads keep the JVM alive until a signal runs the hook
    }

    /** One line per transport: its name, then "available" or why not. */
    private static void listTransports() {
        for (Transport t : Transports.all()) {
            Throwable cause = t.unavailabilityCause();
            System.out.println(t.name() + " " + (cause == null ? "available" : "unavailable: " + cause));
        }
    }
}
