package dev.proactor.runtime;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Off-heap memory with a stable address, read and written from Java through a direct ByteBuffer (no JNA
 * call per access). The memory lives as long as this object is reachable: whoever hands its address to the
 * kernel must keep the NativeBuffer reachable (an op's {@link Owner}, a channel field) until the final
 * completion.
 */
public final class NativeBuffer {
    private final ByteBuffer buffer;
    private final long address;

    private NativeBuffer(int size, int alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        ByteBuffer raw = ByteBuffer.allocateDirect(size + alignment);
        long base = Pointer.nativeValue(Native.getDirectBufferPointer(raw));
        int shift = (int) ((alignment - (base & (alignment - 1))) & (alignment - 1));
        raw.position(shift).limit(shift + size);
        this.buffer = raw.slice().order(ByteOrder.nativeOrder());
        this.address = base + shift;
    }

    /** Zeroed memory of {@code size} bytes aligned to 8. */
    public static NativeBuffer allocate(int size) {
        return new NativeBuffer(size, 8);
    }

    /** Zeroed memory aligned to {@code alignment} (a power of two). */
    public static NativeBuffer allocateAligned(int size, int alignment) {
        if (Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        return new NativeBuffer(size, alignment);
    }

    public long address() {
        return address;
    }

    public int size() {
        return buffer.capacity();
    }

    /** The memory as a native-order ByteBuffer: use absolute get/put. */
    public ByteBuffer buffer() {
        return buffer;
    }

    public void clear() {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0);
        }
    }

    /** The direct address of a direct ByteBuffer's position 0. */
    public static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
