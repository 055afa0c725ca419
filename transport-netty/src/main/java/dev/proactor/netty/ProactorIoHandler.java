package dev.proactor.netty;

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
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Netty {@link IoHandler} that runs one completion {@link Driver} on its event loop thread. Handles submit
 * runtime {@link Op}s through their registration; each completion is delivered to the handle that submitted it.
 * A registration stays alive until its last op has completed, so a handle's memory is never freed while the
 * kernel may still use it.
 */
public final class ProactorIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(ProactorIoHandler.class);
    private static final long PREPARE_DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ThreadAwareExecutor executor;
    private final ProactorIoHandlerConfig config;
    private final CompletionHandler dispatcher = this::dispatch;
    private final Set<Registration> registrations = new LinkedHashSet<>();


    private volatile Driver driver;
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
            // A driver belongs to the thread that opened it.
            return false;
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
        return d != null ? d.stats() : DriverStats.zero(driverKind());
    }

    @Override
    public void initialize() {
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
            driver = d;
            logger.debug("opened {} driver on {}", d.kind(), Thread.currentThread().getName());
        }
        return d;
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
        registrations.add(r);
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
        for (Registration r : new ArrayList<>(registrations)) {
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
        for (Registration r : new ArrayList<>(registrations)) {
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
        return "ProactorIoHandler[" + (d == null ? "not started" : d.kind()) + ", registrations=" + registrations.size() + "]";
    }

    private final class Registration implements ProactorIoRegistration {
        final ProactorIoHandle handle;
        private final ProactorIoEvent event = new ProactorIoEvent();
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
            } else {
                remove();
            }
        }

        void complete(Op op, int result, int flags) {
            event.set(op, result, flags);
            try {
                handle.handle(this, event);
            } catch (Throwable t) {
                logger.warn("{} failed to handle {}", handle, event, t);
            } finally {
                event.set(null, 0, 0);
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
            registrations.remove(this);
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
