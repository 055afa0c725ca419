package dev.proactor.runtime.uring;

import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.uring.UringConstants.Cqe;
import dev.proactor.runtime.uring.UringConstants.Params;

import java.nio.ByteBuffer;

/**
 * The mmap'ed completion ring. The kernel writes CQEs, then release-stores the tail; we load-acquire the tail,
 * so the CQE contents below it are visible. After reading an entry we release-store the head, so the kernel
 * (which load-acquires it) never overwrites an entry we are still reading.
 */
final class CompletionQueue {
    private final ByteBuffer ring;
    private final int headOffset;
    private final int tailOffset;
    private final int overflowOffset;
    private final int cqesOffset;
    private final int mask;
    private final int entries;
    private int head;

    CompletionQueue(ByteBuffer ring, NativeBuffer params) {
        ByteBuffer p = params.buffer();
        this.ring = ring;
        this.headOffset = p.getInt(Params.CQ_HEAD);
        this.tailOffset = p.getInt(Params.CQ_TAIL);
        this.overflowOffset = p.getInt(Params.CQ_OVERFLOW);
        this.cqesOffset = p.getInt(Params.CQ_CQES);
        this.mask = ring.getInt(p.getInt(Params.CQ_RING_MASK));
        this.entries = ring.getInt(p.getInt(Params.CQ_RING_ENTRIES));
        this.head = (int) SubmissionQueue.INT.getAcquire(ring, headOffset);
    }

    int entries() {
        return entries;
    }

    /** CQEs ready to read. */
    int ready() {
        return (int) SubmissionQueue.INT.getAcquire(ring, tailOffset) - head;
    }

    /** Byte offset of the oldest unread CQE; valid while {@link #ready()} > 0. */
    int peek() {
        return cqesOffset + (head & mask) * Cqe.SIZE;
    }

    long userData(int cqe) {
        return ring.getLong(cqe + Cqe.USER_DATA);
    }

    int result(int cqe) {
        return ring.getInt(cqe + Cqe.RES);
    }

    int flags(int cqe) {
        return ring.getInt(cqe + Cqe.FLAGS);
    }

    /** Gives the oldest CQE back to the kernel; read its fields first. */
    void advance() {
        head++;
        SubmissionQueue.INT.setRelease(ring, headOffset, head);
    }

    /** CQEs the kernel had to drop (no room and no memory for its overflow list). */
    int dropped() {
        return (int) SubmissionQueue.INT.getAcquire(ring, overflowOffset);
    }
}
