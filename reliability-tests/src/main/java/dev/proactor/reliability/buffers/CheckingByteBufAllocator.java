package dev.proactor.reliability.buffers;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.concurrent.TimeUnit;

/**
 * A test allocator that checks how buffers are used and released. Every buffer it hands out is entered in a
 * {@link BufferLedger} (allocated, each release, freed: exactly once, never released after), and the memory of
 * direct buffers comes from another allocator (pooled or unpooled) and, when freed, is poisoned and held in a
 * {@link PoisonQuarantine} before it goes back, so a write into released memory is found. Buffers are wrapped
 * for Netty's leak detector like those of Netty's own allocators.
 */
public final class CheckingByteBufAllocator extends AbstractByteBufAllocator {
    private final ByteBufAllocator memorySource;
    private final BufferLedger ledger = new BufferLedger();
    private final PoisonQuarantine quarantine;

    public CheckingByteBufAllocator(ByteBufAllocator memorySource, PoisonQuarantine quarantine) {
        super(true);
        if (memorySource == null || quarantine == null) {
            throw new NullPointerException(memorySource == null ? "memorySource" : "quarantine");
        }
        this.memorySource = memorySource;
        this.quarantine = quarantine;
    }

    /** Memory from a private pooled allocator, held for {@code holdMillis} (at most 256 MiB) after release. */
    public static CheckingByteBufAllocator pooled(long holdMillis) {
        return new CheckingByteBufAllocator(new PooledByteBufAllocator(true),
                new PoisonQuarantine(holdMillis, TimeUnit.MILLISECONDS, 256L << 20));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(new QuarantinedDirectByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(new TrackedHeapByteBuf(this, initialCapacity, maxCapacity));
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    ByteBufAllocator memorySource() {
        return memorySource;
    }

    public BufferLedger ledger() {
        return ledger;
    }

    public PoisonQuarantine quarantine() {
        return quarantine;
    }

    @Override
    public String toString() {
        return "CheckingByteBufAllocator[" + ledger.snapshot() + "; " + quarantine + "]";
    }
}
