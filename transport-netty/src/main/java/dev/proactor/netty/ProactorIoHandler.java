package dev.proactor.netty;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Op;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Netty {@link IoHandler} that runs one completion {@link Driver} on its event loop thread. Handles submit
 * runtime {@link Op}s through their registration; each completion is delivered to the handle that submitted it.
 * A registration stays alive until its last op has completed, so a handle's memory is never freed while the
 * kernel may still use it.
 *
 * <p>Changing threads (Netty's auto-scaling groups suspend an idle loop; a later task resumes it on another
 * thread): a driver belongs to the thread that opened it, so the handler closes its driver when the thread leaves
 * the loop and opens a new one in {@link #initialize()} on the next. No op is in flight then: a loop suspends only
 * with no registration, and while ops of cancelled registrations are still in flight the handler holds one
 * registration of its own ({@link LingeringOpsPin}) on the loop.
 */
public final class ProactorIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProactorIoHandler.class);
    private static final long PREPARE_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Drivers whose thread left without closing them: kept reachable, so their memory is never freed. */
    private static final List<Driver> ABANDONED = new CopyOnWriteArrayList<>();

    /**
     * The handler whose driver the current thread owns. Netty's event loop removes its thread's FastThreadLocals when
     * the thread leaves the loop (suspension, and after destroy() at termination): that is when the driver is closed.
     */
    private static final FastThreadLocal<ProactorIoHandler> DRIVER_OWNER = new FastThreadLocal<ProactorIoHandler>() {
        @Override
        protected void onRemoval(ProactorIoHandler handler) {
            handler.threadLeaving();
        }
    };

    private final ThreadAwareExecutor executor;
    private final ProactorIoHandlerConfig config;
    private final CompletionHandler dispatcher = this::dispatch;
    /**
     * Live registrations, linked through their own fields (a set's entry per connection would cost 40-odd bytes
     * of heap for every idle connection).
     */
    private Registration firstRegistration;
    private Registration lastRegistration;
    private int registrationCount;
    /** Handed to every completion's handle; nesting-safe (see {@link Registration#complete}). */
    private final ProactorIoEvent event = new ProactorIoEvent();


    /** Group id of the stream channels' provided receive buffers. */
    static final int RECV_BUFFER_GROUP = 1;

    private volatile Driver driver;
    /** Made with the first channel that asks; null until then, or if not used. */
    private BufferRing recvRing;
    private boolean recvRingDecided;
    /** The thread that opened {@link #driver}. */
    private Thread driverThread;
    /** Counts of the drivers earlier threads of this loop closed when they left it (auto-scaling groups). */
    private volatile DriverStats closedDriversStats;
    /** Cancelled registrations whose ops are still in flight, and the registration that pins the loop meanwhile. */
    private int lingering;
    private LingeringOpsPin pin;
    private volatile boolean destroyed;
    private boolean shuttingDown;
    private boolean reportActiveTime;
    private long batchStartNanos;

    private ProactorIoHandler(ThreadAwareExecutor executor, ProactorIoHandlerConfig config) {
        this.executor = executor;
        this.config = config;
        ProactorLoopRegistry.register(executor, this);
    }

    /** A factory for handlers with the default configuration. */
    public static IoHandlerFactory newFactory() {
        return newFactory(ProactorIoHandlerConfig.defaults());
    }

    /**
     * A factory for handlers with {@code config}. Fails at once (not on the event loop thread) if the configured
     * driver cannot run here.
     */
    public static IoHandlerFactory newFactory(ProactorIoHandlerConfig config) {
        if (config == null) {
            throw new NullPointerException("config");
        }
        DriverKind kind = config.driverKind();
        if (kind == null) {
            Proactor.ensureAvailability();
        } else {
            Throwable cause = Proactor.unavailabilityCause(kind);
            if (cause != null) {
                throw (Error) new UnsatisfiedLinkError("Proactor driver " + kind + " unavailable: " + cause.getMessage())
                        .initCause(cause);
            }
        }
        return new Factory(config);
    }

    private static final class Factory implements IoHandlerFactory {
        private final ProactorIoHandlerConfig config;

        Factory(ProactorIoHandlerConfig config) {
            this.config = config;
        }

        @Override
        public IoHandler newHandler(ThreadAwareExecutor ioExecutor) {
            return new ProactorIoHandler(ioExecutor, config);
        }

        @Override
        public boolean isChangingThreadSupported() {
            // A driver belongs to the thread that opened it: it is closed when the thread leaves the loop (with no
            // op in flight) and a new one is opened on the next thread.
            return true;
        }

        @Override
        public String toString() {
            return "ProactorIoHandlerFactory" + config;
        }
    }

    /** The driver kind this handler runs, or the one it will open. */
    public DriverKind driverKind() {
        Driver d = driver;
        if (d != null) {
            return d.kind();
        }
        return config.driverKind() != null ? config.driverKind() : Proactor.driverKind();
    }

    /**
     * What this loop's driver has done so far: operations submitted and completed, system calls into the kernel's
     * wait, completions per such call, cancels, provided-buffer recycles. Any thread; all zero before the loop has
     * started, the final counts after it has ended. {@link Proactor#stats} gives them for a whole group.
     */
    public DriverStats stats() {
        Driver d = driver;
        DriverStats earlier = closedDriversStats;
        if (d == null) {
            return earlier != null ? earlier : DriverStats.zero(driverKind());
        }
        return earlier != null ? earlier.plus(d.stats()) : d.stats();
    }

    /** Runs on the event loop thread when the loop starts, and again on the new thread when it resumes. */
    @Override
    public void initialize() {
        Driver d = driver;
        if (d != null && driverThread != Thread.currentThread()) {
            // The previous thread left without the handler noticing (its FastThreadLocals were removed early): the
            // driver cannot be used or closed from here. No handle's op is in flight on it (LingeringOpsPin).
            logger.warn("{} driver of thread '{}' was not closed when the thread left the event loop; abandoning it",
                    d.kind(), driverThread.getName());
            ABANDONED.add(d); // never freed: the kernel may still hold its wake read
            driver = null;
        }
        driver();
    }

    // The driver is owned by the thread that opens it: the event loop thread (initialize() runs there; the
    // factory's newHandler() does not).
    private Driver driver() {
        Driver d = driver;
        if (d == null) {
            if (destroyed) {
                throw new IllegalStateException("ProactorIoHandler is destroyed");
            }
            d = Drivers.open(config.driverConfig());
            driverThread = Thread.currentThread();
            driver = d;
            recvRing = null; // a ring belongs to the driver it was registered with
            recvRingDecided = false;
            DRIVER_OWNER.set(this);
            logger.debug("opened {} driver on {}", d.kind(), driverThread.getName());
        }
        return d;
    }

    /**
     * The event loop's thread leaves it (or someone removed its FastThreadLocals): close the driver if it is idle, so
     * that the next thread opens its own. Idle is certain when the loop suspends: it has no registration then.
     */
    private void threadLeaving() {
        Driver d = driver;
        if (d == null || destroyed || driverThread != Thread.currentThread() || registrationCount != 0
                || d.inFlight() > 0) {
            return;
        }
        driver = null;
        driverThread = null;
        try {
            d.close();
            closedDriversStats = closedDriversStats == null ? d.stats() : closedDriversStats.plus(d.stats());
            logger.debug("closed {} driver: {} leaves the event loop", d.kind(), Thread.currentThread().getName());
        } catch (Throwable t) {
            logger.warn("failed to close the {} driver", d.kind(), t);
        }
    }

    /** A registration was cancelled with ops in flight: keep the loop from suspending until they complete. */
    private void lingeringStarted() {
        if (lingering++ == 0 && !shuttingDown && executor instanceof SingleThreadIoEventLoop) {
            LingeringOpsPin p = new LingeringOpsPin();
            // In the event loop: registers at once, before the cancelled registration stops counting.
            ((SingleThreadIoEventLoop) executor).register(p).addListener(f -> {
                if (f.isSuccess()) {
                    p.registered((IoRegistration) f.getNow());
                }
            });
            pin = p;
        }
    }

    private void lingeringEnded() {
        if (--lingering == 0 && pin != null) {
            LingeringOpsPin p = pin;
            pin = null;
            p.close();
        }
    }

    /**
     * Counts as a registration on the event loop while ops of cancelled registrations are in flight, so that the
     * loop does not suspend (and this handler close its driver) before their completions have arrived.
     */
    private static final class LingeringOpsPin implements ProactorIoHandle {
        private IoRegistration registration;
        private boolean closed;

        void registered(IoRegistration r) {
            registration = r;
            if (closed) {
                r.cancel();
            }
        }

        @Override
        public void handle(IoRegistration registration, io.netty.channel.IoEvent ioEvent) {
            // It submits nothing.
        }

        @Override
        public void close() {
            closed = true;
            IoRegistration r = registration;
            if (r != null) {
                r.cancel();
            }
        }
    }

    @Override
    public int run(IoHandlerContext context) {
        if (destroyed) {
            return 0;
        }
        Driver d = driver();
        long timeout;
        if (!context.canBlock()) {
            timeout = 0;
        } else if (context.deadlineNanos() == -1) {
            timeout = -1;
        } else {
            timeout = Math.max(0, context.delayNanos(System.nanoTime()));
        }
        reportActiveTime = context.shouldReportActiveIoTime();
        batchStartNanos = 0;
        int n;
        try {
            n = d.poll(timeout, dispatcher);
        } catch (RuntimeException e) {
            // A failing wait (not a failing op): log, pause so a persistent error cannot spin, and go on.
            logger.warn("{} driver poll failed", d.kind(), e);
            pauseAfterFailure();
            return 0;
        }
        if (reportActiveTime) {
            context.reportActiveIoTime(batchStartNanos == 0 ? 0 : System.nanoTime() - batchStartNanos);
        }
        return n;
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(Op op, int result, int flags) {
        if (reportActiveTime && batchStartNanos == 0) {
            batchStartNanos = System.nanoTime();
        }
        Object attachment = op.attachment();
        if (attachment instanceof Registration) {
            ((Registration) attachment).complete(op, result, flags);
        } else {
            logger.debug("completion for an op without registration: {} result {}", op, result);
        }
    }

    @Override
    public void wakeup() {
        if (!executor.isExecutorThread(Thread.currentThread())) {
            Driver d = driver;
            if (d != null && !destroyed) {
                d.wake();
            }
        }
    }

    /** The provided receive buffers of this loop, made on first use; null when not configured or not kernel managed. */
    BufferRing recvBufferRing() {
        if (!recvRingDecided) {
            recvRingDecided = true;
            Driver d = driver();
            if (config.recvBuffers() > 0 && d.kind() == DriverKind.IO_URING && !destroyed) {
                try {
                    BufferRing ring = d.registerBufferRing(RECV_BUFFER_GROUP, config.recvBuffers(), config.recvBufferSize());
                    // Emulated rings save nothing over a RECV into the channel's own ByteBuf.
                    recvRing = ring.kernelManaged() ? ring : null;
                } catch (RuntimeException e) {
                    logger.warn("no provided receive buffers ({}): stream channels receive into their own ByteBufs",
                            e.toString());
                }
            }
        }
        return recvRing;
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return ProactorIoHandle.class.isAssignableFrom(handleType);
    }

    @Override
    public IoRegistration register(IoHandle handle) {
        if (!(handle instanceof ProactorIoHandle)) {
            throw new IllegalArgumentException("incompatible handle: " + handle.getClass().getName()
                    + " (expected a " + ProactorIoHandle.class.getSimpleName() + ")");
        }
        if (shuttingDown) {
            throw new IllegalStateException("ProactorIoHandler is shutting down");
        }
        driver();
        Registration r = new Registration((ProactorIoHandle) handle);
        link(r);
        handle.registered();
        return r;
    }

    @Override
    public void prepareToDestroy() {
        closeAll();
        // Let the cancelled ops complete while the event loop still runs tasks, so that closes finish normally.
        drain(PREPARE_DRAIN_NANOS);
    }

    private void closeAll() {
        shuttingDown = true;
        for (Registration r : registrations()) {
            try {
                r.handle.close();
            } catch (Throwable t) {
                logger.warn("failed to close {}", r.handle, t);
            }
        }
    }

    @Override
    public void destroy() {
        Driver d = driver;
        if (d == null || destroyed) {
            destroyed = true;
            return;
        }
        // The event loop may skip prepareToDestroy() when shutdown is requested while it runs tasks with a quiet
        // period of 0; close whatever is still open (closing twice is harmless).
        closeAll();
        drain(config.drainTimeoutNanos());
        if (d.inFlight() > 0) {
            logger.warn("{} ops still in flight after {} ms; the driver waits for the kernel to finish them",
                    d.inFlight(), TimeUnit.NANOSECONDS.toMillis(config.drainTimeoutNanos()));
        }
        destroyed = true;
        try {
            // Cancels what is left and waits for the kernel to be done with it before freeing anything.
            d.close();
        } catch (Throwable t) {
            logger.warn("failed to close the {} driver", d.kind(), t);
        }
        // The driver is closed: no op touches any handle's memory any more.
        for (Registration r : registrations()) {
            r.remove();
        }
    }

    private void drain(long timeoutNanos) {
        Driver d = driver;
        if (d == null) {
            return;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        while (d.inFlight() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            d.poll(Math.min(left, DRAIN_POLL_NANOS), dispatcher);
        }
    }

    @Override
    public String toString() {
        Driver d = driver;
        return "ProactorIoHandler[" + (d == null ? "not started" : d.kind()) + ", registrations=" + registrationCount + "]";
    }

    private void link(Registration r) {
        r.previous = lastRegistration;
        if (lastRegistration != null) {
            lastRegistration.next = r;
        } else {
            firstRegistration = r;
        }
        lastRegistration = r;
        registrationCount++;
    }

    private void unlink(Registration r) {
        if (r.previous != null) {
            r.previous.next = r.next;
        } else {
            firstRegistration = r.next;
        }
        if (r.next != null) {
            r.next.previous = r.previous;
        } else {
            lastRegistration = r.previous;
        }
        r.previous = null;
        r.next = null;
        registrationCount--;
    }

    /** A copy of the live registrations, oldest first: closing or removing one while iterating is safe. */
    private List<Registration> registrations() {
        List<Registration> all = new ArrayList<>(registrationCount);
        for (Registration r = firstRegistration; r != null; r = r.next) {
            all.add(r);
        }
        return all;
    }

    private final class Registration implements ProactorIoRegistration {
        final ProactorIoHandle handle;
        private Registration previous;
        private Registration next;
        private final AtomicBoolean canceled = new AtomicBoolean();
        private int outstanding;
        private boolean removeLater;
        private boolean removed;
        private long lastId;

        Registration(ProactorIoHandle handle) {
            this.handle = handle;
        }

        @SuppressWarnings("unchecked")
        @Override
        public <T> T attachment() {
            return (T) this;
        }

        @Override
        public DriverKind driverKind() {
            return ProactorIoHandler.this.driverKind();
        }

        @Override
        public BufferRing recvBufferRing() {
            return ProactorIoHandler.this.recvBufferRing();
        }

        @Override
        public long submit(IoOps ops) {
            if (!(ops instanceof ProactorIoOps)) {
                throw new IllegalArgumentException("expected ProactorIoOps, got " + ops);
            }
            if (!isValid()) {
                return 0;
            }
            Op op = ((ProactorIoOps) ops).op();
            long id = ++lastId;
            if (executor.isExecutorThread(Thread.currentThread())) {
                submitNow(op);
            } else {
                executor.execute(() -> {
                    if (isValid()) {
                        submitNow(op);
                    }
                });
            }
            return id;
        }

        private void submitNow(Op op) {
            op.attach(this);
            driver.submit(op);
            outstanding++;
        }

        @Override
        public boolean cancel(ProactorIoOps ops) {
            Driver d = driver;
            return d != null && ops.op().isInFlight() && d.cancel(ops.op());
        }

        @Override
        public boolean isValid() {
            return !canceled.get();
        }

        @Override
        public boolean cancel() {
            if (!canceled.compareAndSet(false, true)) {
                return false;
            }
            if (executor.isExecutorThread(Thread.currentThread())) {
                removeWhenIdle();
            } else {
                executor.execute(this::removeWhenIdle);
            }
            return true;
        }

        private void removeWhenIdle() {
            if (outstanding > 0) {
                removeLater = true;
                lingeringStarted();
            } else {
                remove();
            }
        }

        void complete(Op op, int result, int flags) {
            // The handler's one event: a completion delivered while a handle runs (a nested call) gets it too,
            // and the outer one's values are restored afterwards.
            ProactorIoEvent e = event;
            Op outerOp = e.op();
            int outerResult = e.result();
            int outerFlags = e.flags();
            e.set(op, result, flags);
            try {
                handle.handle(this, e);
            } catch (Throwable t) {
                logger.warn("{} failed to handle {}", handle, e, t);
            } finally {
                e.set(outerOp, outerResult, outerFlags);
                if (!Completion.hasMore(flags) && --outstanding == 0 && removeLater) {
                    remove();
                }
            }
        }

        void remove() {
            if (removed) {
                return;
            }
            removed = true;
            canceled.set(true);
            unlink(this);
            if (removeLater) {
                lingeringEnded();
            }
            try {
                handle.unregistered();
            } catch (Throwable t) {
                logger.warn("{} failed in unregistered()", handle, t);
            }
        }

        @Override
        public String toString() {
            return "ProactorIoRegistration[" + handle + ", outstanding=" + outstanding + (isValid() ? "" : ", cancelled") + "]";
        }
    }
}
