package dev.proactor.reliability.chaos;

import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Thousands of loopback connections doing random work ({@link ClientScenario}, {@link ServerChaosHandler})
 * against a Proactor server, from Proactor clients of the same driver and from NIO clients, for a fixed time.
 * Every epoch a client event loop and a second server's event loop are shut down while their connections are
 * busy, and new ones take their place. At the end everything is closed and every group shut down; the caller
 * then checks what is left (buffers, descriptors, threads).
 */
public final class ChaosRun {
    /** A connection open this long is stuck: no scenario takes more than a few seconds. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final DriverKind kind;
    private final Duration duration;
    private final Duration epoch;
    private final ByteBufAllocator alloc;
    private final int proactorClients;
    private final int nioClients;
    private final int victimClients;

    private final ChaosStats stats = new ChaosStats();
    private final RecordingThreadFactory threads = new RecordingThreadFactory("chaos");
    private final Map<Channel, Connection> open = new ConcurrentHashMap<>();
    private final List<EventLoopGroup> groups = new ArrayList<>();
    private ScheduledExecutorService foreign;
    private volatile boolean stopping;

    /**
     * @param concurrency connections open at once on the steady Proactor clients; NIO and the loops that get shut
     *                    down get a quarter each
     */
    public ChaosRun(DriverKind kind, Duration duration, Duration epoch, ByteBufAllocator alloc, int concurrency) {
        this.kind = kind;
        this.duration = duration;
        this.epoch = epoch;
        this.alloc = alloc;
        this.proactorClients = concurrency;
        this.nioClients = Math.max(1, concurrency / 4);
        this.victimClients = Math.max(1, concurrency / 4);
    }

    public ChaosStats stats() {
        return stats;
    }

    public RecordingThreadFactory threads() {
        return threads;
    }

    /** Runs the load for the duration, then closes and shuts down everything it made. */
    public ChaosStats run() throws InterruptedException {
        foreign = Executors.newScheduledThreadPool(2, threads);
        EventLoopGroup serverGroup = proactorGroup(2);
        EventLoopGroup clientGroup = proactorGroup(1);
        EventLoopGroup nioGroup = track(new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory()));
        Channel server = bind(serverGroup);
        InetSocketAddress serverAddress = (InetSocketAddress) server.localAddress();
        AtomicReference<Target> victim = new AtomicReference<>();

        foreign.scheduleWithFixedDelay(this::findStuck, 1, 1, TimeUnit.SECONDS);
        List<Thread> launchers = new ArrayList<>();
        launchers.add(launcher("proactor", proactorClients, () -> new Target(clientGroup, ProactorSocketChannel.class,
                pick(serverAddress, victim))));
        launchers.add(launcher("nio", nioClients, () -> new Target(nioGroup, NioSocketChannel.class,
                pick(serverAddress, victim))));
        launchers.add(launcher("victim", victimClients, victim::get));
        launchers.forEach(Thread::start);

        long end = System.nanoTime() + duration.toNanos();
        try {
            while (System.nanoTime() < end) {
                EventLoopGroup victimClientGroup = proactorGroup(1);
                EventLoopGroup victimServerGroup = proactorGroup(1);
                Channel victimServer = bind(victimServerGroup);
                victim.set(new Target(victimClientGroup, ProactorSocketChannel.class,
                        (InetSocketAddress) victimServer.localAddress()));
                Thread.sleep(Math.min(epoch.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                victim.set(null);
                stats.connectionsOpenAtLoopShutdown.add(open.size());
                // Under load: connections of both groups are mid-transfer right now.
                Future<?> a = victimClientGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS);
                Future<?> b = victimServerGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS);
                awaitTermination(a, "victim client group");
                awaitTermination(b, "victim server group");
                stats.loopShutdownsUnderLoad.add(2);
            }
        } finally {
            stopping = true;
            for (Thread t : launchers) {
                t.interrupt();
                t.join(10_000);
            }
            drainOpenConnections();
            server.close().syncUninterruptibly();
            for (EventLoopGroup g : groups) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            }
            for (EventLoopGroup g : groups) {
                awaitTermination(g.terminationFuture(), "event loop group");
            }
            foreign.shutdownNow();
            foreign.awaitTermination(10, TimeUnit.SECONDS);
        }
        return stats;
    }

    private InetSocketAddress pick(InetSocketAddress steady, AtomicReference<Target> victim) {
        Target v = victim.get();
        return v != null && ThreadLocalRandom.current().nextInt(5) == 0 ? v.address : steady;
    }

    private EventLoopGroup proactorGroup(int n) {
        return track(new MultiThreadIoEventLoopGroup(n, threads,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind))));
    }

    private synchronized EventLoopGroup track(EventLoopGroup g) {
        groups.add(g);
        return g;
    }

    private Channel bind(EventLoopGroup group) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.ALLOCATOR, alloc)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ServerChaosHandler(stats, foreign));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private static final class Target {
        final EventLoopGroup group;
        final Class<? extends Channel> channelClass;
        final InetSocketAddress address;

        Target(EventLoopGroup group, Class<? extends Channel> channelClass, InetSocketAddress address) {
            this.group = group;
            this.channelClass = channelClass;
            this.address = address;
        }
    }

    private Thread launcher(String name, int concurrency, Supplier<Target> targets) {
        Semaphore permits = new Semaphore(concurrency);
        Thread t = threads.newThread(() -> {
            while (!stopping) {
                try {
                    if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                Target target = targets.get();
                if (target == null || stopping) {
                    permits.release();
                    continue;
                }
                connect(target, permits);
            }
        });
        t.setName("chaos-launcher-" + name);
        return t;
    }

    private void connect(Target target, Semaphore permits) {
        ClientScenario scenario = ClientScenario.pick();
        stats.scenario(scenario);
        stats.connectAttempts.increment();
        ClientChaosHandler handler = new ClientChaosHandler(scenario, stats, foreign);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                permits.release();
            }
        };
        ChannelFuture f;
        try {
            f = new Bootstrap().group(target.group).channel(target.channelClass)
                    .option(ChannelOption.ALLOCATOR, alloc)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.AUTO_READ, scenario != ClientScenario.STALL)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .handler(handler)
                    .connect(target.address);
        } catch (RuntimeException e) {
            // The group was shut down under us.
            stats.connectFailures.increment();
            release.run();
            return;
        }
        Channel ch = f.channel();
        Connection c = new Connection(handler, f, release);
        open.put(ch, c);
        ch.closeFuture().addListener(x -> c.ended(ch));
        f.addListener(x -> {
            if (!x.isSuccess()) {
                stats.connectFailures.increment();
                c.ended(ch);
            }
        });
        if (scenario == ClientScenario.CONNECT_THEN_CLOSE) {
            if (ThreadLocalRandom.current().nextBoolean()) {
                ch.close();
            } else {
                foreign.schedule(() -> ch.close(), ThreadLocalRandom.current().nextInt(0, 3), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A connection in flight: what ends it (its close, or a failed connect) gives its permit back. */
    private final class Connection {
        final ClientChaosHandler handler;
        final ChannelFuture connect;
        final Runnable release;

        Connection(ClientChaosHandler handler, ChannelFuture connect, Runnable release) {
            this.handler = handler;
            this.connect = connect;
            this.release = release;
        }

        void ended(Channel ch) {
            open.remove(ch);
            release.run();
        }

        /**
         * Whether it ended without its listeners being told: a future of a channel whose event loop has terminated
         * cannot run listeners (Netty logs "Failed to submit a listener notification task").
         */
        boolean endedSilently(Channel ch) {
            return ch.closeFuture().isDone() || connect.isDone() && !connect.isSuccess();
        }
    }

    private void findStuck() {
        long now = System.nanoTime();
        open.forEach((ch, c) -> {
            if (c.endedSilently(ch)) {
                c.ended(ch);
            } else if (now - c.handler.startNanos > STUCK_NANOS && open.remove(ch) != null) {
                stats.stuck.increment();
                stats.sample("stuck: " + c.handler.describe(ch));
                ch.close();
            }
        });
    }

    private void drainOpenConnections() throws InterruptedException {
        long deadline = System.nanoTime() + STUCK_NANOS;
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            open.forEach((ch, c) -> {
                if (c.endedSilently(ch)) {
                    c.ended(ch);
                }
            });
        }
        findStuck();
        open.forEach((ch, c) -> {
            stats.stuck.increment();
            stats.sample("still open at the end: " + c.handler.describe(ch));
            ch.close();
        });
    }

    private static void awaitTermination(Future<?> f, String what) {
        if (!f.awaitUninterruptibly(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException(what + " did not terminate in 20 s");
        }
    }
}
