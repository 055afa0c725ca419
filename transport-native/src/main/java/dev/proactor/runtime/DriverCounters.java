package dev.proactor.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one driver has done so far, counted by the driver's owning thread and readable from any thread through
 * {@link #snapshot()}. Counting costs one plain store per event and allocates nothing.
 *
 * <p>Only the owner writes, so an increment needs no atomic read-modify-write. The stores are opaque: they cannot
 * tear and become visible to other threads without delay, yet compile to ordinary stores (no fence), unlike
 * volatile ones. A snapshot is therefore made of individually exact counts taken at slightly different instants.
 */
public final class DriverCounters {
    private static final VarHandle SUBMITTED;
    private static final VarHandle COMPLETIONS;
    private static final VarHandle POLLS;
    private static final VarHandle KERNEL_WAITS;
    private static final VarHandle DIRECT_CALLS;
    private static final VarHandle CANCELS;
    private static final VarHandle BUFFER_RECYCLES;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            SUBMITTED = l.findVarHandle(DriverCounters.class, "submitted", long.class);
            COMPLETIONS = l.findVarHandle(DriverCounters.class, "completions", long.class);
            POLLS = l.findVarHandle(DriverCounters.class, "polls", long.class);
            KERNEL_WAITS = l.findVarHandle(DriverCounters.class, "kernelWaits", long.class);
            DIRECT_CALLS = l.findVarHandle(DriverCounters.class, "directCalls", long.class);
            CANCELS = l.findVarHandle(DriverCounters.class, "cancels", long.class);
            BUFFER_RECYCLES = l.findVarHandle(DriverCounters.class, "bufferRecycles", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DriverKind kind;
    private long submitted;
    private long completions;
    private long polls;
    private long kernelWaits;
    private long directCalls;
    private long cancels;
    private long bufferRecycles;

    public DriverCounters(DriverKind kind) {
        this.kind = kind;
    }

    /** An operation was accepted by {@link Driver#submit}. */
    public void submitted() {
        SUBMITTED.setOpaque(this, submitted + 1);
    }

    /** A completion was delivered to a handler (each completion of a multishot op counts). */
    public void completed() {
        COMPLETIONS.setOpaque(this, completions + 1);
    }

    /** {@link Driver#poll} was called. */
    public void polled() {
        POLLS.setOpaque(this, polls + 1);
    }

    /** One system call into the kernel's completion mechanism: io_uring_enter, epoll_wait, GetQueuedCompletionStatusEx. */
    public void enteredKernel() {
        KERNEL_WAITS.setOpaque(this, kernelWaits + 1);
    }

    /**
     * One system call made for an operation outside the wait: the poll driver's non-blocking attempts (recv, send,
     * accept, ...) and closes, IOCP's overlapped calls (WSARecv, AcceptEx, ...). io_uring makes none.
     */
    public void calledDirectly() {
        DIRECT_CALLS.setOpaque(this, directCalls + 1);
    }

    /** {@link Driver#cancel} accepted a request (the op was in flight). */
    public void cancelRequested() {
        CANCELS.setOpaque(this, cancels + 1);
    }

    /** A provided buffer was recycled (given back to the ring for receives to fill). */
    public void bufferRecycled() {
        BUFFER_RECYCLES.setOpaque(this, bufferRecycles + 1);
    }

    /** The counts as of now; any thread. */
    public DriverStats snapshot() {
        return new DriverStats(kind,
                (long) SUBMITTED.getOpaque(this),
                (long) COMPLETIONS.getOpaque(this),
                (long) POLLS.getOpaque(this),
                (long) KERNEL_WAITS.getOpaque(this),
                (long) DIRECT_CALLS.getOpaque(this),
                (long) CANCELS.getOpaque(this),
                (long) BUFFER_RECYCLES.getOpaque(this));
    }
}
