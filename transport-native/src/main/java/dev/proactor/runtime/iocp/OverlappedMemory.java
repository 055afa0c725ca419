package dev.proactor.runtime.iocp;

import dev.proactor.runtime.NativeBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Driver-owned native memory, {@value #SLOT_BYTES} bytes per in-flight slot: the OVERLAPPED that identifies
 * the op to the kernel, and what the calls point to besides the caller's buffers (WSABUFs, byte counts and
 * flags, AcceptEx's address buffer, a wildcard sockaddr, a WSAPOLLFD). Chunks are never moved or freed while
 * the driver is open, and a slot is reused only after its op's packet has been dequeued, so the kernel never
 * writes into memory that has been given to another op. WSABUF arrays longer than {@value #INLINE_WSABUFS}
 * live in a per-slot buffer that is only replaced while its slot is idle.
 */
final class OverlappedMemory {
    static final int SLOT_BYTES = 512;
    private static final int CHUNK_SLOTS = 64;
    private static final int CHUNK_BYTES = SLOT_BYTES * CHUNK_SLOTS;

    /** OVERLAPPED { ULONG_PTR Internal; ULONG_PTR InternalHigh; DWORD Offset; DWORD OffsetHigh; HANDLE hEvent; } */
    static final int OVERLAPPED = 0;
    /** The port of the driver that owns this memory: where a packet that reached another port is forwarded. */
    static final int OWNER_PORT = 32;
    /** DWORD: bytes transferred by a call that completed at once. */
    static final int TRANSFERRED = 40;
    /** DWORD: WSARecv's in/out flags. */
    static final int FLAGS = 44;
    /** One WSABUF { ULONG len; CHAR *buf; }. */
    static final int WSABUF = 48;
    /** 8 bytes: WSARecvFrom's address length, the listener for SO_UPDATE_ACCEPT_CONTEXT, ioctl arguments. */
    static final int SCRATCH = 64;
    /** GetAcceptExSockaddrs' outputs: local sockaddr*, int length, remote sockaddr*, int length. */
    static final int SOCKADDRS = 72;
    /** AcceptEx's output: local then remote address, each sockaddr_storage + 16. Also: wildcard sockaddr, WSAPOLLFD. */
    static final int ADDRESSES = 104;
    static final int ACCEPT_ADDRESS_LENGTH = 128 + 16;
    /** An array of WSABUFs for gathering sends and msghdr ops. */
    static final int WSABUF_ARRAY = 400;
    static final int INLINE_WSABUFS = (SLOT_BYTES - WSABUF_ARRAY) / 16;

    private final long port;
    private NativeBuffer[] chunks = new NativeBuffer[1];
    private long[] bases = new long[1];
    private NativeBuffer[] largeArrays = new NativeBuffer[0];

    OverlappedMemory(long port) {
        this.port = port;
    }

    /** Makes sure {@code slot} has memory. */
    void ensure(int slot) {
        int c = slot / CHUNK_SLOTS;
        if (c >= chunks.length) {
            int n = Math.max(c + 1, chunks.length * 2);
            chunks = Arrays.copyOf(chunks, n);
            bases = Arrays.copyOf(bases, n);
        }
        if (chunks[c] == null) {
            NativeBuffer chunk = NativeBuffer.allocateAligned(CHUNK_BYTES, 64);
            for (int i = 0; i < CHUNK_SLOTS; i++) {
                chunk.buffer().putLong(i * SLOT_BYTES + OWNER_PORT, port);
            }
            chunks[c] = chunk;
            bases[c] = chunk.address();
        }
    }

    /** The slot whose OVERLAPPED is at {@code overlapped}, or -1 if that memory is not this driver's. */
    int slotOf(long overlapped) {
        for (int c = 0; c < bases.length; c++) {
            long off = overlapped - bases[c];
            if (bases[c] != 0 && off >= 0 && off < CHUNK_BYTES) {
                return off % SLOT_BYTES == 0 ? c * CHUNK_SLOTS + (int) (off / SLOT_BYTES) : -1;
            }
        }
        return -1;
    }

    long address(int slot) {
        return bases[slot / CHUNK_SLOTS] + offset(slot);
    }

    long overlapped(int slot) {
        return address(slot) + OVERLAPPED;
    }

    ByteBuffer buffer(int slot) {
        return chunks[slot / CHUNK_SLOTS].buffer();
    }

    static int offset(int slot) {
        return (slot % CHUNK_SLOTS) * SLOT_BYTES;
    }

    /** Clears the OVERLAPPED for a new call and sets its file offset (ignored by sockets and pipes). */
    long resetOverlapped(int slot, long fileOffset) {
        ByteBuffer b = buffer(slot);
        int o = offset(slot);
        b.putLong(o, 0L);                                  // Internal
        b.putLong(o + 8, 0L);                              // InternalHigh
        b.putInt(o + 16, (int) fileOffset);                // Offset
        b.putInt(o + 20, (int) (fileOffset >>> 32));       // OffsetHigh
        b.putLong(o + 24, 0L);                             // hEvent
        b.putInt(o + TRANSFERRED, 0);
        return address(slot) + OVERLAPPED;
    }

    /** The NTSTATUS of a completed call: the low 32 bits of OVERLAPPED.Internal (Wine leaves the rest undefined). */
    int status(int slot) {
        return (int) buffer(slot).getLong(offset(slot));
    }

    int transferred(int slot) {
        return buffer(slot).getInt(offset(slot) + TRANSFERRED);
    }

    int getInt(int slot, int field) {
        return buffer(slot).getInt(offset(slot) + field);
    }

    long getLong(int slot, int field) {
        return buffer(slot).getLong(offset(slot) + field);
    }

    short getShort(int slot, int field) {
        return buffer(slot).getShort(offset(slot) + field);
    }

    void putInt(int slot, int field, int value) {
        buffer(slot).putInt(offset(slot) + field, value);
    }

    void putLong(int slot, int field, long value) {
        buffer(slot).putLong(offset(slot) + field, value);
    }

    void putShort(int slot, int field, short value) {
        buffer(slot).putShort(offset(slot) + field, value);
    }

    void zero(int slot, int field, int length) {
        ByteBuffer b = buffer(slot);
        int o = offset(slot) + field;
        for (int i = 0; i < length; i += 8) {
            b.putLong(o + i, 0L);
        }
    }

    /** Writes the one WSABUF of the slot; returns its address. */
    long wsabuf(int slot, long buffer, int length) {
        putInt(slot, WSABUF, length);
        putLong(slot, WSABUF + 8, buffer);
        return address(slot) + WSABUF;
    }

    /**
     * Converts {@code count} iovecs { void *base; size_t len; } at {@code iovecs} into WSABUFs owned by the slot;
     * returns their address, or 0 if a length does not fit a ULONG.
     */
    long wsabufs(int slot, long iovecs, int count, CallerMemory caller) {
        ByteBuffer b;
        int o;
        long address;
        if (count <= INLINE_WSABUFS) {
            b = buffer(slot);
            o = offset(slot) + WSABUF_ARRAY;
            address = address(slot) + WSABUF_ARRAY;
        } else {
            NativeBuffer large = largeArray(slot, count);
            b = large.buffer();
            o = 0;
            address = large.address();
        }
        for (int i = 0; i < count; i++) {
            long base = caller.getLong(iovecs + 16L * i);
            long len = caller.getLong(iovecs + 16L * i + 8);
            if (len < 0 || len > 0xFFFFFFFFL) {
                return 0;
            }
            b.putInt(o + 16 * i, (int) len);
            b.putInt(o + 16 * i + 4, 0);
            b.putLong(o + 16 * i + 8, base);
        }
        return address;
    }

    private NativeBuffer largeArray(int slot, int count) {
        if (slot >= largeArrays.length) {
            largeArrays = Arrays.copyOf(largeArrays, Math.max(slot + 1, largeArrays.length * 2));
        }
        NativeBuffer a = largeArrays[slot];
        if (a == null || a.size() < count * 16) {
            a = NativeBuffer.allocate(Math.max(count, 2 * INLINE_WSABUFS) * 16);
            largeArrays[slot] = a; // the previous array belonged to a finished op of this slot
        }
        return a;
    }
}
