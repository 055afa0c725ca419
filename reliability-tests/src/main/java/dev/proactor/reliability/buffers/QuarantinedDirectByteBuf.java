package dev.proactor.reliability.buffers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;
import io.netty.util.internal.PlatformDependent;

import java.nio.ByteBuffer;

/**
 * A direct buffer whose memory is borrowed from another allocator and, when freed (by the last release, or when
 * the buffer grows or shrinks), goes through the {@link PoisonQuarantine} before it returns there. Every release
 * and the free are entered in the {@link BufferLedger}.
 */
final class QuarantinedDirectByteBuf extends UnpooledUnsafeDirectByteBuf {
    private final CheckingByteBufAllocator checking;
    private final long serial;

    QuarantinedDirectByteBuf(CheckingByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        // Netty's constructor allocates through a method this class cannot override: start empty, then grow
        // through allocateDirectBuffer(int), which it can.
        super(alloc, 0, maxCapacity);
        this.checking = alloc;
        this.serial = alloc.ledger().allocated("direct");
        if (initialCapacity > 0) {
            capacity(initialCapacity);
        }
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        return new Memory(checking, capacity, serial);
    }

    @Override
    public boolean release() {
        checking.ledger().releasing(serial, refCnt());
        return super.release();
    }

    @Override
    public boolean release(int decrement) {
        checking.ledger().releasing(serial, refCnt());
        return super.release(decrement);
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        checking.ledger().freed(serial);
    }

    /** Memory of the source allocator; clean() quarantines it instead of freeing it. */
    private static final class Memory implements CleanableDirectBuffer {
        private final CheckingByteBufAllocator checking;
        private final ByteBuf source;
        private final ByteBuffer view;
        private final long address;
        private final long serial;

        Memory(CheckingByteBufAllocator checking, int capacity, long serial) {
            this.checking = checking;
            this.serial = serial;
            this.source = checking.memorySource().directBuffer(capacity, capacity);
            this.view = source.nioBuffer(0, capacity);
            this.address = PlatformDependent.directBufferAddress(view);
        }

        @Override
        public ByteBuffer buffer() {
            return view;
        }

        @Override
        public void clean() {
            checking.quarantine().add(source, address, view.capacity(), serial);
        }

        @Override
        public boolean hasMemoryAddress() {
            return true;
        }

        @Override
        public long memoryAddress() {
            return address;
        }
    }
}
