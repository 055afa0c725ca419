package dev.proactor.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A direct ByteBuf that records the moment its reference count reaches zero: whether the op that uses it was
 * still in flight then (the kernel could still read or write it), which must never be the case.
 */
final class TrackedBuffer extends UnpooledUnsafeDirectByteBuf {
    private final EventLoop loop;
    private final BooleanSupplier opInFlight;
    /** Completes at deallocation with whether the op was in flight at that moment. */
    final CompletableFuture<Boolean> releasedWhileInFlight = new CompletableFuture<>();

    TrackedBuffer(ByteBufAllocator alloc, EventLoop loop, BooleanSupplier opInFlight, int capacity, int maxCapacity) {
        super(alloc, capacity, maxCapacity);
        this.loop = loop;
        this.opInFlight = opInFlight;
    }

    /** A buffer for a send on {@code ch}. */
    static TrackedBuffer forSend(ProactorSocketChannel ch, int capacity) {
        return new TrackedBuffer(UnpooledByteBufAllocator.DEFAULT, ch.eventLoop(), ch::isWriteInFlight, capacity, capacity);
    }

    @Override
    protected void deallocate() {
        if (loop.inEventLoop()) {
            releasedWhileInFlight.complete(opInFlight.getAsBoolean());
        } else {
            releasedWhileInFlight.completeExceptionally(new AssertionError("released off the event loop thread"));
        }
        super.deallocate();
    }
}
