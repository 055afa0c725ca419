package dev.proactor.reliability.buffers;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds freed buffer memory back for a while before it may be reused. On entry the memory is filled with
 * {@link #POISON}; when it leaves (old enough, or the quarantine is over its byte budget, or {@link #verifyAll})
 * every byte is checked: anything else means something wrote into the memory after its buffer was freed (a
 * receive the kernel completed into a released buffer, a handler holding on to a stale reference ...). Only then
 * is the memory given back to where it came from.
 */
public final class PoisonQuarantine {
    public static final byte POISON = (byte) 0xA5;
    private static final long POISON_LONG = 0xA5A5A5A5A5A5A5A5L;
    private static final int MAX_REPORTS = 16;

    private final long holdNanos;
    private final long maxBytes;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;

    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong quarantinedBytes = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private final ConcurrentLinkedQueue<String> reports = new ConcurrentLinkedQueue<>();

    /**
     * @param hold     how long freed memory stays poisoned before it is checked and reused
     * @param maxBytes above this many quarantined bytes the oldest memory leaves early (checked all the same)
     */
    public PoisonQuarantine(long hold, TimeUnit unit, long maxBytes) {
        this.holdNanos = unit.toNanos(hold);
        this.maxBytes = maxBytes;
    }

    /** Poisons {@code length} bytes at {@code address} (the memory of {@code owner}) and keeps them. */
    void add(ByteBuf owner, long address, int length, long serial) {
        PlatformDependent.setMemory(address, length, POISON);
        quarantined.incrementAndGet();
        quarantinedBytes.addAndGet(length);
        long now = System.nanoTime();
        List<Entry> due = null;
        synchronized (this) {
            entries.addLast(new Entry(owner, address, length, serial, now));
            bytes += length;
            Entry head;
            while ((head = entries.peekFirst()) != null && (now - head.since >= holdNanos || bytes > maxBytes)) {
                entries.pollFirst();
                bytes -= head.length;
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(head);
            }
        }
        if (due != null) {
            for (Entry e : due) {
                release(e, now);
            }
        }
    }

    /** Checks and releases everything still held. */
    public void verifyAll() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(entries);
            entries.clear();
            bytes = 0;
        }
        long now = System.nanoTime();
        for (Entry e : all) {
            release(e, now);
        }
    }

    private void release(Entry e, long now) {
        check(e, now);
        e.owner.release();
    }

    private void check(Entry e, long now) {
        verified.incrementAndGet();
        int firstBad = -1;
        int badBytes = 0;
        int i = 0;
        for (; i + 8 <= e.length; i += 8) {
            if (PlatformDependent.getLong(e.address + i) != POISON_LONG) {
                for (int j = i; j < i + 8; j++) {
                    if (PlatformDependent.getByte(e.address + j) != POISON) {
                        badBytes++;
                        if (firstBad < 0) {
                            firstBad = j;
                        }
                    }
                }
            }
        }
        for (; i < e.length; i++) {
            if (PlatformDependent.getByte(e.address + i) != POISON) {
                badBytes++;
                if (firstBad < 0) {
                    firstBad = i;
                }
            }
        }
        if (firstBad >= 0) {
            corrupted.incrementAndGet();
            if (reports.size() < MAX_REPORTS) {
                reports.add("buffer #" + e.serial + " (" + e.length + " bytes) written after release: " + badBytes
                        + " byte(s) changed, first at offset " + firstBad + " (" + hex(e.address + firstBad,
                        Math.min(32, e.length - firstBad)) + "), checked " + TimeUnit.NANOSECONDS.toMillis(now - e.since)
                        + " ms after release");
            }
        }
    }

    private static String hex(long address, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", PlatformDependent.getByte(address + i) & 0xff));
        }
        return sb.toString();
    }

    /** Buffers whose memory was found written after release. */
    public long corruptions() {
        return corrupted.get();
    }

    /** What was found, for the first few corruptions. */
    public List<String> reports() {
        return new ArrayList<>(reports);
    }

    public long quarantinedCount() {
        return quarantined.get();
    }

    public long quarantinedBytes() {
        return quarantinedBytes.get();
    }

    public long verifiedCount() {
        return verified.get();
    }

    /** Memory held right now. */
    public synchronized long heldBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "quarantine: " + quarantined.get() + " buffers (" + (quarantinedBytes.get() >> 20) + " MiB) poisoned, "
                + verified.get() + " checked, " + corrupted.get() + " written after release";
    }

    private static final class Entry {
        final ByteBuf owner;
        final long address;
        final int length;
        final long serial;
        final long since;

        Entry(ByteBuf owner, long address, int length, long serial, long since) {
            this.owner = owner;
            this.address = address;
            this.length = length;
            this.serial = serial;
            this.since = since;
        }
    }
}
