package dev.proactor.runtime;

/**
 * A completion driver: operations are submitted and their results come back later, in batches.
 *
 * <p>A driver belongs to the thread that created it. Only that thread may submit, cancel, poll or close;
 * {@link #wake()} is the one method any thread may call.
 */
public interface Driver extends AutoCloseable {

    DriverKind kind();

    /**
     * Queues {@code op}; returns at once. The op's result arrives through a later {@link #poll}.
     *
     * @throws IllegalStateException if the op is already in flight, the driver is closed, or the caller is
     *                               not the owning thread
     */
    void submit(Op op);

    /**
     * Asks the kernel to cancel {@code op}. Cancellation is a request: the op still completes exactly once
     * more (with -ECANCELED, or with its result if it finished first), and its owner is released then.
     *
     * @return false if the op was not in flight
     */
    boolean cancel(Op op);

    /**
     * Submits what is queued, waits up to {@code timeoutNanos} for at least one completion (0: do not wait;
     * negative: wait until a completion or a {@link #wake()}), then delivers every completion available.
     *
     * @return the number of completions delivered
     */
    int poll(long timeoutNanos, CompletionHandler handler);

    /**
     * Registers {@code bufferCount} receive buffers of {@code bufferSize} bytes as buffer group {@code groupId},
     * for {@link Op#prepareRecvMultishot} and {@link Op#prepareRecvProvided}. io_uring hands them to the kernel
     * (a provided buffer ring) when it can; other drivers pick the buffer themselves, with the same completions.
     * The ring belongs to this driver's thread and stays registered until {@link #close}, which lets go of it only
     * after every operation that could still fill one of its buffers has finished.
     *
     * @param groupId     0..65535, not yet registered on this driver
     * @param bufferCount a power of two, at most 32768
     * @param bufferSize  bytes per buffer (&gt; 0)
     * @throws IllegalArgumentException      for a taken group id or invalid sizes
     * @throws UnsupportedOperationException if this driver has no provided buffers
     */
    default BufferRing registerBufferRing(int groupId, int bufferCount, int bufferSize) {
        throw new UnsupportedOperationException(kind() + " driver has no provided buffer rings");
    }

    /** Ends a blocking {@link #poll} early, or makes the next one return at once. Any thread may call it. */
    void wake();

    /**
     * What this driver has done so far (submissions, completions, system calls into the kernel's wait, ...).
     * Any thread may call it, also after {@link #close}.
     */
    DriverStats stats();

    /** Operations submitted whose final completion has not been delivered yet. */
    int inFlight();

    /**
     * Cancels what is in flight, waits for the kernel to finish with it, releases every owner exactly once
     * (without delivering those completions) and frees the driver's resources.
     */
    @Override
    void close();
}
