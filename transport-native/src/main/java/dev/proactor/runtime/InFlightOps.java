package dev.proactor.runtime;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The operations a driver has in flight, by slot. The slot is the op's identity towards the kernel
 * (io_uring user_data, the poll driver's queues); the table holds a strong reference to each op, and so to
 * its owner and the memory the owner keeps alive, until the final completion. Owning thread only.
 */
public final class InFlightOps {
    private static final System.Logger LOG = System.getLogger(InFlightOps.class.getName());

    private Op[] ops;
    private int[] free;
    private int freeCount;
    private int size;
    private final DriverCounters counters;

    public InFlightOps(int initialCapacity) {
        this(initialCapacity, new DriverCounters(null));
    }

    /** A table that counts every {@link #add} as a submission and every {@link #complete} as a completion in {@code counters}. */
    public InFlightOps(int initialCapacity, DriverCounters counters) {
        this.counters = counters;
        int cap = Math.max(16, initialCapacity);
        ops = new Op[cap];
        free = new int[cap];
        for (int i = 0; i < cap; i++) {
            free[i] = cap - 1 - i;
        }
        freeCount = cap;
    }

    /** Records {@code op} as in flight and returns its slot. */
    public int add(Op op) {
        if (op.isInFlight()) {
            throw new IllegalStateException("operation is already in flight: " + op);
        }
        if (freeCount == 0) {
            grow();
        }
        int slot = free[--freeCount];
        ops[slot] = op;
        op.slot(slot);
        size++;
        counters.submitted();
        return slot;
    }

    private void grow() {
        int old = ops.length;
        int cap = old * 2;
        ops = Arrays.copyOf(ops, cap);
        free = Arrays.copyOf(free, cap);
        for (int i = 0; i < old; i++) {
            free[freeCount++] = cap - 1 - i;
        }
    }

    /** The op in flight at {@code slot}, or null. */
    public Op get(int slot) {
        return slot >= 0 && slot < ops.length ? ops[slot] : null;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return ops.length;
    }

    /** Every op in flight (a snapshot, safe against removal during the walk). */
    public void forEach(Consumer<Op> action) {
        for (Op op : ops.clone()) {
            if (op != null) {
                action.accept(op);
            }
        }
    }

    /**
     * Delivers one completion of {@code op}. On the final one (no {@link Completion#MORE}) the op leaves the
     * table before the handler runs, so the handler may submit it again; the owner of this submission is
     * released after the handler returns, so the handler can still read the memory.
     */
    public void complete(Op op, int result, int flags, CompletionHandler handler) {
        counters.completed();
        if (Completion.hasMore(flags)) {
            invoke(handler, op, result, flags);
            return;
        }
        Owner owner = retire(op);
        try {
            invoke(handler, op, result, flags);
        } finally {
            release(owner);
        }
    }

    /** Final completion without delivery (driver close): retire and release. */
    public void completeSilently(Op op) {
        release(retire(op));
    }

    private Owner retire(Op op) {
        int slot = op.slot();
        if (slot < 0 || ops[slot] != op) {
            throw new IllegalStateException("completion for an operation not in flight: " + op);
        }
        ops[slot] = null;
        free[freeCount++] = slot;
        size--;
        op.slot(-1);
        return op.takeOwner();
    }

    private static void invoke(CompletionHandler handler, Op op, int result, int flags) {
        try {
            handler.complete(op, result, flags);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "completion handler failed for " + op + " result " + result, t);
        }
    }

    private static void release(Owner owner) {
        if (owner != null) {
            try {
                owner.release();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "owner release failed", t);
            }
        }
    }
}
