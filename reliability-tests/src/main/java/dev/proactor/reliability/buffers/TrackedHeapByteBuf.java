package dev.proactor.reliability.buffers;

import io.netty.buffer.UnpooledHeapByteBuf;

/** A heap buffer whose releases and free are entered in the {@link BufferLedger}. */
final class TrackedHeapByteBuf extends UnpooledHeapByteBuf {
    private final BufferLedger ledger;
    private final long serial;

    TrackedHeapByteBuf(CheckingByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
        super(alloc, initialCapacity, maxCapacity);
        this.ledger = alloc.ledger();
        this.serial = ledger.allocated("heap");
    }

    @Override
    public boolean release() {
        ledger.releasing(serial, refCnt());
        return super.release();
    }

    @Override
    public boolean release(int decrement) {
        ledger.releasing(serial, refCnt());
        return super.release(decrement);
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        ledger.freed(serial);
    }
}
