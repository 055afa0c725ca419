package dev.proactor.reliability.buffers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Accounts, by identity, for every buffer a {@link CheckingByteBufAllocator} hands out: when it was allocated,
 * each {@code release} called on it, and the moment its memory was freed. A buffer is in good standing when it
 * was freed exactly once and nobody called {@code release} on it after that.
 */
public final class BufferLedger {
    private static final int MAX_EVIDENCE = 8;

    private final AtomicLong nextSerial = new AtomicLong();
    /** serial -> what kind of buffer, for buffers allocated and not yet freed. */
    private final ConcurrentHashMap<Long, String> live = new ConcurrentHashMap<>();
    private final AtomicLong allocated = new AtomicLong();
    private final AtomicLong freed = new AtomicLong();
    private final AtomicLong releaseCalls = new AtomicLong();
    private final AtomicLong releasesAfterFree = new AtomicLong();
    private final AtomicLong freedTwice = new AtomicLong();
    private final ConcurrentLinkedQueue<Throwable> evidence = new ConcurrentLinkedQueue<>();

    long allocated(String kind) {
        long serial = nextSerial.incrementAndGet();
        live.put(serial, kind);
        allocated.incrementAndGet();
        return serial;
    }

    /** Called before a release takes effect, with the reference count the buffer had then. */
    void releasing(long serial, int refCntBefore) {
        releaseCalls.incrementAndGet();
        if (refCntBefore <= 0) {
            releasesAfterFree.incrementAndGet();
            keep(new IllegalStateException("release() of buffer #" + serial + " after it was freed"));
        }
    }

    void freed(long serial) {
        if (live.remove(serial) == null) {
            freedTwice.incrementAndGet();
            keep(new IllegalStateException("buffer #" + serial + " freed twice"));
        } else {
            freed.incrementAndGet();
        }
    }

    private void keep(Throwable t) {
        if (evidence.size() < MAX_EVIDENCE) {
            evidence.add(t);
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(allocated.get(), freed.get(), releaseCalls.get(), releasesAfterFree.get(), freedTwice.get(),
                live.size(), new ArrayList<>(evidence));
    }

    /** Counts at one moment. */
    public static final class Snapshot {
        public final long allocated;
        public final long freed;
        public final long releaseCalls;
        /** {@code release()} on a buffer whose count was already zero (a double release). */
        public final long releasesAfterFree;
        /** Memory freed twice for one buffer (cannot happen through reference counting; counted anyway). */
        public final long freedTwice;
        /** Buffers allocated and never freed. */
        public final long live;
        public final List<Throwable> evidence;

        Snapshot(long allocated, long freed, long releaseCalls, long releasesAfterFree, long freedTwice, long live,
                 List<Throwable> evidence) {
            this.allocated = allocated;
            this.freed = freed;
            this.releaseCalls = releaseCalls;
            this.releasesAfterFree = releasesAfterFree;
            this.freedTwice = freedTwice;
            this.live = live;
            this.evidence = evidence;
        }

        /** Every buffer freed exactly once, no release after free. */
        public boolean isClean() {
            return live == 0 && releasesAfterFree == 0 && freedTwice == 0 && allocated == freed;
        }

        @Override
        public String toString() {
            return "buffers allocated=" + allocated + " freed=" + freed + " live=" + live + " releaseCalls=" + releaseCalls
                    + " releasesAfterFree=" + releasesAfterFree + " freedTwice=" + freedTwice;
        }
    }
}
