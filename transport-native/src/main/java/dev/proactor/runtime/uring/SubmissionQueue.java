package dev.proactor.runtime.uring;

import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.uring.UringConstants.Params;
import dev.proactor.runtime.uring.UringConstants.Sqe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The mmap'ed submission ring. SQEs are written with plain stores into the SQE array; the tail is published
 * once per batch with a release store, so the kernel (which load-acquires the tail) sees complete entries.
 * The kernel publishes its head with a release store; we load-acquire it before reusing an entry.
 * The index array is filled with the identity once, so SQE i always sits at array slot i.
 */
final class SubmissionQueue {
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer ring;
    private final ByteBuffer sqes;
    private final int headOffset;
    private final int tailOffset;
    private final int flagsOffset;
    private final int mask;
    private final int entries;
    /** Our tail: entries below it are written; published to the kernel by {@link #publish()}. */
    private int tail;
    /** The kernel's head as last read: entries below it have been consumed. */
    private int head;

    SubmissionQueue(ByteBuffer ring, ByteBuffer sqes, NativeBuffer params) {
        ByteBuffer p = params.buffer();
        this.ring = ring;
        this.sqes = sqes;
        this.headOffset = p.getInt(Params.SQ_HEAD);
        this.tailOffset = p.getInt(Params.SQ_TAIL);
        this.flagsOffset = p.getInt(Params.SQ_FLAGS);
        this.mask = ring.getInt(p.getInt(Params.SQ_RING_MASK));
        this.entries = ring.getInt(p.getInt(Params.SQ_RING_ENTRIES));
        int array = p.getInt(Params.SQ_ARRAY);
        for (int i = 0; i < entries; i++) {
            ring.putInt(array + i * 4, i);
        }
        this.head = (int) INT.getAcquire(ring, headOffset);
        this.tail = (int) INT.getAcquire(ring, tailOffset);
    }

    int entries() {
        return entries;
    }

    /** Whether one more SQE fits before the kernel consumes what is queued. */
    boolean hasSpace() {
        if (tail - head < entries) {
            return true;
        }
        head = (int) INT.getAcquire(ring, headOffset);
        return tail - head < entries;
    }

    /**
     * Writes one SQE (every field: those not given are zero) and queues it. Call only after
     * {@link #hasSpace()} said true.
     */
    void add(int opcode, int ioprio, int fd, long off, long addr, int len, int opFlags, long userData, int spliceFdIn) {
        int e = (tail & mask) * Sqe.SIZE;
        sqes.put(e + Sqe.OPCODE, (byte) opcode);
        sqes.put(e + Sqe.FLAGS, (byte) 0);
        sqes.putShort(e + Sqe.IOPRIO, (short) ioprio);
        sqes.putInt(e + Sqe.FD, fd);
        sqes.putLong(e + Sqe.OFF, off);
        sqes.putLong(e + Sqe.ADDR, addr);
        sqes.putInt(e + Sqe.LEN, len);
        sqes.putInt(e + Sqe.OP_FLAGS, opFlags);
        sqes.putLong(e + Sqe.USER_DATA, userData);
        sqes.putInt(e + Sqe.BUF_INDEX, 0); // buf_index, personality
        sqes.putInt(e + Sqe.SPLICE_FD_IN, spliceFdIn);
        sqes.putLong(e + Sqe.ADDR3, 0L);
        sqes.putLong(e + Sqe.ADDR3 + 8, 0L);
        tail++;
    }

    /** Makes every written SQE visible to the kernel; returns how many it has not consumed yet. */
    int publish() {
        // Release: the plain SQE stores above happen-before the kernel's acquire load of the tail.
        INT.setRelease(ring, tailOffset, tail);
        head = (int) INT.getAcquire(ring, headOffset);
        return tail - head;
    }

    /** Queued SQEs the kernel has not consumed (as of the last head read). */
    int pending() {
        return tail - head;
    }

    /** IORING_SQ_CQ_OVERFLOW: completions are waiting in the kernel's overflow list. */
    boolean cqOverflow() {
        return ((int) INT.getAcquire(ring, flagsOffset) & UringConstants.SQ_CQ_OVERFLOW) != 0;
    }
}
