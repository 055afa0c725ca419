package dev.proactor.netty;

import dev.proactor.runtime.NativeBuffer;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/** Native addresses of ByteBufs handed to the kernel. */
final class DirectBuffers {
    private DirectBuffers() {
    }

    /** Whether the kernel can read or write {@code buf} in place: one contiguous block of off-heap memory. */
    static boolean hasAddress(ByteBuf buf) {
        return buf.hasMemoryAddress() || buf.isDirect() && buf.nioBufferCount() == 1;
    }

    /** The native address of {@code buf}'s byte at {@code index}; {@code buf} must satisfy {@link #hasAddress}. */
    static long address(ByteBuf buf, int index) {
        if (buf.hasMemoryAddress()) {
            return buf.memoryAddress() + index;
        }
        ByteBuffer nio = buf.internalNioBuffer(index, 0);
        return NativeBuffer.addressOf(nio) + nio.position();
    }
}
