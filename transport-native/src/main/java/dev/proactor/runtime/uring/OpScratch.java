package dev.proactor.runtime.uring;

import dev.proactor.runtime.NativeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Driver-owned native memory, 64 bytes per in-flight slot, for what an SQE points to but the caller does not
 * provide: the timespec of a TIMEOUT, the msghdr of a SENDV. It is allocated in fixed chunks that are never
 * moved or freed while the driver is open, so a slot's memory stays put for as long as its op is in flight
 * even when the slot table grows.
 */
final class OpScratch {
    static final int SLOT_BYTES = 64;
    private static final int CHUNK_SLOTS = 256;

    private NativeBuffer[] chunks = new NativeBuffer[1];

    /** Makes sure {@code slot} has memory. */
    void ensure(int slot) {
        int c = slot / CHUNK_SLOTS;
        if (c >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
        }
        if (chunks[c] == null) {
            chunks[c] = NativeBuffer.allocate(CHUNK_SLOTS * SLOT_BYTES);
        }
    }

    /** Writes a struct __kernel_timespec for {@code nanos} into the slot; returns its address. */
    long timespec(int slot, long nanos) {
        ByteBuffer b = chunk(slot).buffer();
        int off = offset(slot);
        b.putLong(off, nanos / 1_000_000_000L);
        b.putLong(off + 8, nanos % 1_000_000_000L);
        return address(slot);
    }

    /** Writes a struct msghdr naming only {@code iovCount} iovecs at {@code iovecs}; returns its address. */
    long msghdr(int slot, long iovecs, int iovCount) {
        ByteBuffer b = chunk(slot).buffer();
        int off = offset(slot);
        b.putLong(off, 0L);              // msg_name
        b.putLong(off + 8, 0L);          // msg_namelen + padding
        b.putLong(off + 16, iovecs);     // msg_iov
        b.putLong(off + 24, iovCount);   // msg_iovlen
        b.putLong(off + 32, 0L);         // msg_control
        b.putLong(off + 40, 0L);         // msg_controllen
        b.putLong(off + 48, 0L);         // msg_flags + padding
        return address(slot);
    }

    private NativeBuffer chunk(int slot) {
        return chunks[slot / CHUNK_SLOTS];
    }

    private static int offset(int slot) {
        return (slot % CHUNK_SLOTS) * SLOT_BYTES;
    }

    private long address(int slot) {
        return chunk(slot).address() + offset(slot);
    }
}
