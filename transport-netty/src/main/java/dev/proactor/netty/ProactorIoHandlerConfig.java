package dev.proactor.netty;

import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;

import java.util.concurrent.TimeUnit;

/**
 * Settings for the {@link ProactorIoHandler}s of an event loop group: which driver (null: automatic, see
 * {@link Proactor#describe()}), ring sizes, and how long shutdown waits for in-flight operations. Immutable;
 * {@code withXxx} returns a copy.
 */
public final class ProactorIoHandlerConfig {
    private static final long DEFAULT_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final DriverConfig driverConfig;
    private final long drainTimeoutNanos;

    private ProactorIoHandlerConfig(DriverConfig driverConfig, long drainTimeoutNanos) {
        this.driverConfig = driverConfig;
        this.drainTimeoutNanos = drainTimeoutNanos;
    }

    /** Automatic driver selection, 256 submission and 4096 completion entries, 5 s drain timeout. */
    public static ProactorIoHandlerConfig defaults() {
        return new ProactorIoHandlerConfig(DriverConfig.defaults(), DEFAULT_DRAIN_NANOS);
    }

    /** Forces a driver kind; null restores automatic selection. */
    public ProactorIoHandlerConfig withDriverKind(DriverKind kind) {
        return new ProactorIoHandlerConfig(driverConfig.withKind(kind), drainTimeoutNanos);
    }

    /** Submission queue entries (a power of two). */
    public ProactorIoHandlerConfig withSubmissionEntries(int entries) {
        return new ProactorIoHandlerConfig(driverConfig.withSubmissionEntries(entries), drainTimeoutNanos);
    }

    /** Completion queue entries (a power of two). */
    public ProactorIoHandlerConfig withCompletionEntries(int entries) {
        return new ProactorIoHandlerConfig(driverConfig.withCompletionEntries(entries), drainTimeoutNanos);
    }

    /** How long shutdown waits for cancelled operations to complete before closing the driver anyway. */
    public ProactorIoHandlerConfig withDrainTimeout(long timeout, TimeUnit unit) {
        if (timeout < 0) {
            throw new IllegalArgumentException("drain timeout must be >= 0: " + timeout);
        }
        return new ProactorIoHandlerConfig(driverConfig, unit.toNanos(timeout));
    }

    /** The forced driver kind, or null for automatic selection. */
    public DriverKind driverKind() {
        return driverConfig.kind();
    }

    public int submissionEntries() {
        return driverConfig.submissionEntries();
    }

    public int completionEntries() {
        return driverConfig.completionEntries();
    }

    public long drainTimeoutNanos() {
        return drainTimeoutNanos;
    }

    public DriverConfig driverConfig() {
        return driverConfig;
    }

    @Override
    public String toString() {
        DriverKind k = driverKind();
        return "ProactorIoHandlerConfig[driver=" + (k == null ? "auto" : k) + ", sq=" + submissionEntries()
                + ", cq=" + completionEntries() + ", drain=" + TimeUnit.NANOSECONDS.toMillis(drainTimeoutNanos) + "ms]";
    }
}
