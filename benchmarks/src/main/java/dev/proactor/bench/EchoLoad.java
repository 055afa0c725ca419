package dev.proactor.bench;

import dev.proactor.bench.transport.Transport;
import dev.proactor.bench.transport.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ping-pong echo load: N connections, each with exactly one message of {@code --size} bytes outstanding.
 * After {@code --warmup} seconds it measures for {@code --duration} seconds and prints one
 * {@code RESULT key=value ...} line: msg/s, latency percentiles (send to full echo received), the load's own
 * CPU use and, given {@code --server-pid}, the server's CPU time per message over the same window; given
 * {@code --server-stats-port} (a {@link ServerStatsEndpoint}), a Proactor server's kernel waits, submissions and
 * driver system calls (kernel waits plus direct calls) per message, and completions per kernel wait over that window.
 *
 * <p>Runs on a Netty transport ({@code --transport}, default epoll) with one event loop thread, so it costs
 * about one read, one write and a share of an epoll_wait per message.
 */
public final class EchoLoad {
    /** Connects made at once while setting up (below the server's backlog of 4096). */
    private static final int CONNECTS_IN_FLIGHT = 256;

    /** Counters of one client event loop; touched only by that loop's thread. */
    private static final class LoopStats {
        final LatencyHistogram latency = new LatencyHistogram();
        long messages;
        long errors;
        volatile boolean stopped;

        void record(long nanos) {
            latency.record(nanos);
            messages++;
        }

        void reset() {
            latency.reset();
            messages = 0;
        }
    }

    private static final class PingPongHandler extends ChannelInboundHandlerAdapter {
        private final ByteBuf payload;
        private final LoopStats stats;
        private int received;
        private long sentAt;
        private ChannelHandlerContext ctx;

        PingPongHandler(ByteBuf payload, LoopStats stats) {
            this.payload = payload;
            this.stats = stats;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        /**
         * The first message; sent once every connection is up, so connecting does not compete with the load. A task
         * on the channel's loop: a connect future is notified just before channelActive, in the same loop task.
         */
        void start() {
            ctx.executor().execute(() -> send(ctx));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received += buf.readableBytes();
            buf.release();
            if (received < payload.readableBytes()) {
                return;
            }
            if (received > payload.readableBytes()) {
                stats.errors++; // more than was sent: the server is broken
            }
            stats.record(System.nanoTime() - sentAt);
            received = 0;
            if (!stats.stopped) {
                send(ctx);
            }
        }

        private void send(ChannelHandlerContext ctx) {
            sentAt = System.nanoTime();
            ctx.writeAndFlush(payload.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!stats.stopped) {
                stats.errors++;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!stats.stopped) {
                stats.errors++;
                System.err.println("echo connection failed: " + cause);
            }
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        CommandLine cl = new CommandLine(args, Set.of("host", "port", "connections", "size", "warmup",
                "duration", "transport", "threads", "server-pid", "server-stats-port"), Set.of());
        String host = cl.get("host", "127.0.0.1");
        int port = cl.getInt("port", 8081);
        int connections = cl.getInt("connections", 64);
        int size = cl.getInt("size", 64);
        double warmupSeconds = cl.getDouble("warmup", 3);
        double durationSeconds = cl.getDouble("duration", 10);
        Transport transport = Transports.byName(cl.get("transport", "epoll"));
        long serverPid = Long.parseLong(cl.get("server-pid", "-1"));
        int statsPort = cl.getInt("server-stats-port", -1);

        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
        EventLoopGroup group = transport.newEventLoopGroup(cl.getInt("threads", 1), "load");
        Map<EventExecutor, LoopStats> statsByLoop = new IdentityHashMap<>();
        group.forEach(loop -> statsByLoop.put(loop, new LoopStats()));
        try {
            Bootstrap bootstrap = new Bootstrap().group(group).channel(transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new PingPongHandler(payload, statsByLoop.get(ch.eventLoop())));
                        }
                    });
            List<Channel> channels = new ArrayList<>(connections);
            List<ChannelFuture> connecting = new ArrayList<>(CONNECTS_IN_FLIGHT);
            for (int i = 0; i < connections; i++) {
                connecting.add(bootstrap.connect(host, port));
                if (connecting.size() == CONNECTS_IN_FLIGHT || i == connections - 1) {
                    for (ChannelFuture f : connecting) {
                        channels.add(f.sync().channel());
                    }
                    connecting.clear();
                }
            }
            for (Channel ch : channels) {
                ch.pipeline().get(PingPongHandler.class).start();
            }
            sleepSeconds(warmupSeconds);

            for (Map.Entry<EventExecutor, LoopStats> e : statsByLoop.entrySet()) {
                e.getKey().submit(e.getValue()::reset).sync();
            }
            Map<String, Long> serverStart = statsPort > 0 ? StatsProbe.query(statsPort, false) : null;
            long serverCpuStart = serverPid > 0 ? ProcessCpu.nanos(serverPid) : 0;
            long selfCpuStart = ProcessCpu.nanos(ProcessHandle.current().pid());
            long machineStart = ProcessCpu.machineBusyNanos();
            long start = System.nanoTime();
            sleepSeconds(durationSeconds);
            LatencyHistogram latency = new LatencyHistogram();
            long[] totals = new long[2];
            for (Map.Entry<EventExecutor, LoopStats> e : statsByLoop.entrySet()) {
                LoopStats s = e.getValue();
                e.getKey().submit(() -> {
                    s.stopped = true;
                    latency.add(s.latency);
                    totals[0] += s.messages;
                    totals[1] += s.errors;
                }).sync();
            }
            long elapsed = System.nanoTime() - start;
            long selfCpu = ProcessCpu.nanos(ProcessHandle.current().pid()) - selfCpuStart;
            long serverCpu = serverPid > 0 ? ProcessCpu.nanos(serverPid) - serverCpuStart : -1;
            long machine = ProcessCpu.machineBusyNanos() - machineStart;
            Map<String, Long> serverEnd = statsPort > 0 ? StatsProbe.query(statsPort, false) : null;

            long messages = totals[0];
            double seconds = elapsed / 1e9;
            StringBuilder line = new StringBuilder("RESULT");
            line.append(" transport=").append(transport.name());
            line.append(" connections=").append(connections);
            line.append(" size=").append(size);
            line.append(" seconds=").append(fmt(seconds));
            line.append(" messages=").append(messages);
            line.append(" msgPerSec=").append(fmt(messages / seconds));
            line.append(" p50Us=").append(fmt(latency.valueAt(0.50) / 1e3));
            line.append(" p99Us=").append(fmt(latency.valueAt(0.99) / 1e3));
            line.append(" p999Us=").append(fmt(latency.valueAt(0.999) / 1e3));
            line.append(" loadCpuPct=").append(fmt(100.0 * selfCpu / elapsed));
            if (serverCpu >= 0) {
                line.append(" serverCpuPct=").append(fmt(100.0 * serverCpu / elapsed));
                line.append(" serverCpuUsPerMsg=").append(fmt(messages == 0 ? 0 : serverCpu / 1e3 / messages));
            }
            // CPU that neither this load nor the server used: other processes disturbing the measurement
            long other = machine - selfCpu - Math.max(0, serverCpu);
            line.append(" otherCpuPct=").append(fmt(Math.max(0, 100.0 * other / elapsed)));
            line.append(" errors=").append(totals[1]);
            if (serverStart != null) {
                appendDriverCounters(line, serverStart, serverEnd, messages);
            }
            System.out.println(line);
            System.out.flush();
            for (Channel ch : channels) {
                ch.close();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** The server's Proactor driver counters over the window, per message (absent for other transports). */
    private static void appendDriverCounters(StringBuilder line, Map<String, Long> start, Map<String, Long> end,
                                             long messages) {
        long waits = StatsProbe.delta(start, end, "kernelWaits");
        if (waits < 0 || messages == 0) {
            return;
        }
        long completions = StatsProbe.delta(start, end, "completions");
        line.append(" serverKernelWaitsPerMsg=").append(fmt3((double) waits / messages));
        line.append(" serverSubmitsPerMsg=").append(fmt3((double) StatsProbe.delta(start, end, "submitted") / messages));
        line.append(" serverCompletionsPerWait=").append(fmt(waits == 0 ? 0 : (double) completions / waits));
        long direct = StatsProbe.delta(start, end, "directCalls");
        line.append(" serverSyscallsPerMsg=").append(fmt3((double) (waits + Math.max(0, direct)) / messages));
    }

    private static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
