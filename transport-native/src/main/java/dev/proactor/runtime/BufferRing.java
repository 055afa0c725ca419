package dev.proactor.runtime;

import java.util.ArrayDeque;

/**
 * Provided buffers: a group of equal-sized receive buffers from which the driver, not the caller, picks the
 * one each receive fills ({@link Op#prepareRecvMultishot}, {@link Op#prepareRecvProvided}). Made by
 * {@link Driver#registerBufferRing}; belongs to that driver's thread.
 *
 * <p>Every buffer is in one of three states:
 * <ul>
 * <li><b>available</b>: the driver (or the kernel, through io_uring's buffer ring) may fill it;</li>
 * <li><b>lent</b>: an emulated receive in flight is filling it (drivers without kernel buffer rings);</li>
 * <li><b>handed out</b>: a completion with {@link Completion#BUFFER} gave it to the consumer, who reads its bytes at
 * {@link #address(int)} and then calls {@link #recycle(int)}. Until then nothing writes into it.</li>
 * </ul>
 * When no buffer is available, a provided receive ends with -ENOBUFS; {@link #whenAvailable} tells when to
 * submit it again. The memory stays valid as long as this object is reachable; the driver gives the ring up
 * only at close, after every operation that could fill a buffer has finished.
 */
public final class BufferRing {
    /** The largest group id (io_uring's buf_group is 16 bits). */
    public static final int MAX_GROUP_ID = 0xFFFF;
    /** The most buffers a ring may have (io_uring's limit; buffer ids are 16 bits in the completion flags). */
    public static final int MAX_BUFFERS = 1 << 15;

    private static final byte AVAILABLE = 0;
    private static final byte LENT = 1;
    private static final byte HANDED_OUT = 2;
    private static final int ALIGNMENT = 64;

    /** The kernel's side of a ring (io_uring's PBUF_RING): recycled buffers are given back to it. */
    public interface KernelRing {
        /** Makes buffer {@code bufferId} ({@code length} bytes at {@code address}) selectable by the kernel again. */
        void provide(int bufferId, long address, int length);
    }

    private final int groupId;
    private final int bufferCount;
    private final int bufferSize;
    private final NativeBuffer memory;
    private final long base;
    private final Thread owner;
    private final KernelRing kernel;
    private final byte[] state;
    /** Emulation only: the available buffers, as a stack (the most recently used buffer is reused first). */
    private final int[] free;
    private int freeCount;
    private int handedOut;
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private final DriverCounters counters;
    private boolean closed;

    /**
     * For drivers: allocates the buffers and, when {@code kernel} is not null, provides every one of them to it;
     * with a null {@code kernel} the ring keeps its own free list and the driver lends buffers with {@link #take()}.
     */
    public BufferRing(int groupId, int bufferCount, int bufferSize, KernelRing kernel) {
        this(groupId, bufferCount, bufferSize, kernel, new DriverCounters(null));
    }

    /** As {@link #BufferRing(int, int, int, KernelRing)}, counting every {@link #recycle} in the driver's {@code counters}. */
    public BufferRing(int groupId, int bufferCount, int bufferSize, KernelRing kernel, DriverCounters counters) {
        this.counters = counters;
        checkArguments(groupId, bufferCount, bufferSize);
        this.groupId = groupId;
        this.bufferCount = bufferCount;
        this.bufferSize = bufferSize;
        this.memory = NativeBuffer.allocateAligned(bufferCount * bufferSize, ALIGNMENT);
        this.base = memory.address();
        this.owner = Thread.currentThread();
        this.kernel = kernel;
        this.state = new byte[bufferCount];
        this.free = kernel == null ? new int[bufferCount] : null;
        for (int id = 0; id < bufferCount; id++) {
            if (kernel == null) {
                free[freeCount++] = bufferCount - 1 - id; // buffer 0 on top
            } else {
                kernel.provide(id, address(id), bufferSize);
            }
        }
    }

    /** Rejects a group id outside 0..65535, a count that is not a power of two up to 32768, or a size of 0. */
    public static void checkArguments(int groupId, int bufferCount, int bufferSize) {
        if (groupId < 0 || groupId > MAX_GROUP_ID) {
            throw new IllegalArgumentException("buffer group id must be 0.." + MAX_GROUP_ID + ": " + groupId);
        }
        if (bufferCount <= 0 || bufferCount > MAX_BUFFERS || Integer.bitCount(bufferCount) != 1) {
            throw new IllegalArgumentException("buffer count must be a power of two up to " + MAX_BUFFERS + ": " + bufferCount);
        }
        if (bufferSize <= 0 || (long) bufferCount * bufferSize > Integer.MAX_VALUE - ALIGNMENT) {
            throw new IllegalArgumentException("buffer size must be > 0 and count * size below 2 GiB: "
                    + bufferCount + " x " + bufferSize);
        }
    }

    public int groupId() {
        return groupId;
    }

    public int bufferCount() {
        return bufferCount;
    }

    /** Bytes per buffer: a receive into a provided buffer returns at most this many. */
    public int bufferSize() {
        return bufferSize;
    }

    /** Where buffer {@code bufferId} starts. */
    public long address(int bufferId) {
        checkId(bufferId);
        return base + (long) bufferId * bufferSize;
    }

    /** All buffers, contiguous: buffer {@code id} is at offset {@code id * bufferSize()}. */
    public NativeBuffer memory() {
        return memory;
    }

    /** Whether the kernel picks the buffers (io_uring's PBUF_RING), rather than the driver emulating it. */
    public boolean kernelManaged() {
        return kernel != null;
    }

    /** Buffers handed out to the consumer and not recycled yet. */
    public int handedOut() {
        return handedOut;
    }

    /** Buffers that receives may fill now (with a kernel ring: not handed out, as far as completions have told). */
    public int available() {
        return kernel != null ? bufferCount - handedOut : freeCount;
    }

    /** True once the driver is closed: recycling then only ends the consumer's use of a buffer. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Gives a handed-out buffer back: from now on receives may fill it again. Owning thread only.
     *
     * @throws IllegalStateException if the buffer is not handed out (never delivered, or already recycled), or
     *                               the caller is not the owning thread
     */
    public void recycle(int bufferId) {
        checkOwner();
        checkId(bufferId);
        if (state[bufferId] != HANDED_OUT) {
            throw new IllegalStateException("buffer " + bufferId + " of group " + groupId
                    + " is not handed out: it was never delivered, or it was recycled already");
        }
        state[bufferId] = AVAILABLE;
        handedOut--;
        counters.bufferRecycled();
        if (closed) {
            return;
        }
        if (kernel != null) {
            kernel.provide(bufferId, address(bufferId), bufferSize);
        } else {
            free[freeCount++] = bufferId;
        }
        runOneWaiter();
    }

    /**
     * Runs {@code action} once a buffer is available: at once if one is, else on the owning thread when one is
     * recycled (one waiting action per buffer, in order). The usual reaction to -ENOBUFS is
     * {@code ring.whenAvailable(() -> driver.submit(op))}. Actions still waiting at driver close never run.
     */
    public void whenAvailable(Runnable action) {
        checkOwner();
        if (closed) {
            throw new IllegalStateException("buffer group " + groupId + " belongs to a closed driver");
        }
        if (available() > 0 && waiters.isEmpty()) {
            action.run();
        } else {
            waiters.add(action);
        }
    }

    private void runOneWaiter() {
        Runnable next = waiters.poll();
        if (next != null) {
            next.run();
        }
    }

    // ---- for drivers only ----

    /** Driver use (emulation): lends an available buffer to a receive about to be made; -1 if there is none. */
    public int take() {
        if (kernel != null) {
            throw new IllegalStateException("the kernel picks the buffers of group " + groupId);
        }
        if (freeCount == 0 || closed) {
            return -1;
        }
        int id = free[--freeCount];
        state[id] = LENT;
        return id;
    }

    /** Driver use (emulation): the receive a buffer was lent to filled nothing (EAGAIN, EOF, error, cancel). */
    public void giveBack(int bufferId) {
        expect(bufferId, LENT);
        state[bufferId] = AVAILABLE;
        free[freeCount++] = bufferId;
        if (!closed) {
            runOneWaiter();
        }
    }

    /** Driver use: a completion is about to deliver {@code bufferId} to the consumer, who now owns it. */
    public void handOut(int bufferId) {
        checkId(bufferId);
        expect(bufferId, kernel != null ? AVAILABLE : LENT);
        state[bufferId] = HANDED_OUT;
        handedOut++;
    }

    /** Driver use: the driver is closing and fills no more buffers; waiting actions are dropped. */
    public void close() {
        closed = true;
        waiters.clear();
    }

    private void expect(int bufferId, byte expected) {
        if (state[bufferId] != expected) {
            throw new IllegalStateException("buffer " + bufferId + " of group " + groupId + " is " + name(state[bufferId])
                    + ", expected " + name(expected));
        }
    }

    private static String name(byte s) {
        return s == AVAILABLE ? "available" : s == LENT ? "lent to a receive" : "handed out";
    }

    private void checkId(int bufferId) {
        if (bufferId < 0 || bufferId >= bufferCount) {
            throw new IndexOutOfBoundsException("buffer id " + bufferId + " outside group " + groupId
                    + " of " + bufferCount + " buffers");
        }
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("buffer group " + groupId + " belongs to thread '" + owner.getName()
                    + "' but was used from thread '" + Thread.currentThread().getName() + "'");
        }
    }

    @Override
    public String toString() {
        return "BufferRing[group=" + groupId + " " + bufferCount + "x" + bufferSize + "B handedOut=" + handedOut
                + (kernel != null ? " kernel" : " emulated") + (closed ? " closed" : "") + "]";
    }
}
