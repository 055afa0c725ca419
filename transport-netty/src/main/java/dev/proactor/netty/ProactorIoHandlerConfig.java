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

    /**
     * Default of {@link #withRecvBufferRing}: 512 buffers of 4 KiB (2 MiB per event loop, used only on io_uring).
     * Measured against one RECV per read into the channel's own ByteBuf (benchmarks/RESULTS.md): less server CPU
     * per message and more messages per second for 64-byte and 4 KiB echo and pipelined HTTP, equal for 64 KiB
     * messages, which are read past the ring (see {@link #withRecvBufferRing}).
     */
    static final int DEFAULT_RECV_BUFFERS = 512;
    static final int DEFAULT_RECV_BUFFER_SIZE = 4096;

    private final DriverConfig driverConfig;
    private final long drainTimeoutNanos;
    private final int recvBuffers;
    private final int recvBufferSize;

    private ProactorIoHandlerConfig(DriverConfig driverConfig, long drainTimeoutNanos) {
        this(driverConfig, drainTimeoutNanos, DEFAULT_RECV_BUFFERS, DEFAULT_RECV_BUFFER_SIZE);
    }

    private ProactorIoHandlerConfig(DriverConfig driverConfig, long drainTimeoutNanos, int recvBuffers, int recvBufferSize) {
        this.driverConfig = driverConfig;
        this.drainTimeoutNanos = drainTimeoutNanos;
        this.recvBuffers = recvBuffers;
        this.recvBufferSize = recvBufferSize;
    }

    /**
     * Automatic driver selection, 256 submission and 4096 completion entries, 5 s drain timeout, a receive ring of
     * 512 buffers of 4 KiB (io_uring only).
     */
    public static ProactorIoHandlerConfig defaults() {
        return new ProactorIoHandlerConfig(DriverConfig.defaults(), DEFAULT_DRAIN_NANOS);
    }

    /** Forces a driver kind; null restores automatic selection. */
    public ProactorIoHandlerConfig withDriverKind(DriverKind kind) {
        return new ProactorIoHandlerConfig(driverConfig.withKind(kind), drainTimeoutNanos, recvBuffers, recvBufferSize);
    }

    /** Submission queue entries (a power of two). */
    public ProactorIoHandlerConfig withSubmissionEntries(int entries) {
        return new ProactorIoHandlerConfig(driverConfig.withSubmissionEntries(entries), drainTimeoutNanos, recvBuffers, recvBufferSize);
    }

    /** Completion queue entries (a power of two). */
    public ProactorIoHandlerConfig withCompletionEntries(int entries) {
        return new ProactorIoHandlerConfig(driverConfig.withCompletionEntries(entries), drainTimeoutNanos, recvBuffers, recvBufferSize);
    }

    /** How long shutdown waits for cancelled operations to complete before closing the driver anyway. */
    public ProactorIoHandlerConfig withDrainTimeout(long timeout, TimeUnit unit) {
        if (timeout < 0) {
            throw new IllegalArgumentException("drain timeout must be >= 0: " + timeout);
        }
        return new ProactorIoHandlerConfig(driverConfig, unit.toNanos(timeout), recvBuffers, recvBufferSize);
    }

    /**
     * Stream channels on io_uring receive with one multishot RECV into a ring of {@code buffers} provided buffers of
     * {@code bufferSize} bytes per event loop (the kernel's buffer ring), copying each completion's bytes into a
     * ByteBuf of the channel's allocator and giving the buffer straight back to the kernel (the default: 512 buffers
     * of 4 KiB). 0 buffers: one RECV per read into the channel's own ByteBuf. Only while AUTO_READ is on, only for
     * channels with Netty's default AdaptiveRecvByteBufAllocator (any other allocator sets the size of each read,
     * which the ring would not keep), and only where the kernel manages buffer rings (else the setting is ignored).
     * Bulk data leaves the ring: once a
     * completion fills a ring buffer with more data waiting and Netty's receive guess has outgrown a ring buffer,
     * the channel cancels its multishot receive and reads into its own buffers of the guessed size, one RECV each,
     * until the guess is back down to a ring buffer's size. Turning AUTO_READ off cancels the armed receive; what
     * it took before the cancel took effect is held and delivered by the next read() calls, one message each,
     * before anything new.
     *
     * @param buffers a power of two up to 32768, or 0 (off)
     */
    public ProactorIoHandlerConfig withRecvBufferRing(int buffers, int bufferSize) {
        if (buffers != 0) {
            dev.proactor.runtime.BufferRing.checkArguments(0, buffers, bufferSize);
        }
        return new ProactorIoHandlerConfig(driverConfig, drainTimeoutNanos, buffers, bufferSize);
    }

    /** Provided receive buffers per event loop; 0 if stream channels receive into their own ByteBufs. */
    public int recvBuffers() {
        return recvBuffers;
    }

    public int recvBufferSize() {
        return recvBufferSize;
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
                + ", cq=" + completionEntries() + ", drain=" + TimeUnit.NANOSECONDS.toMillis(drainTimeoutNanos) + "ms"
                + (recvBuffers > 0 ? ", recvRing=" + recvBuffers + "x" + recvBufferSize : "") + "]";
    }
}
