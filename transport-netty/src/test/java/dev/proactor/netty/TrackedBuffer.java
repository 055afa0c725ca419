package dev.proactor.netty;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;

import java.util.concurrent.CompletableFuture;

/**
 * A direct ByteBuf that records the moment its reference count reaches zero: whether the channel still had a
 * send in flight then (the kernel could still be reading it), which must never be the case.
 */
final class TrackedBuffer extends UnpooledUnsafeDirectByteBuf {
    private final ProactorSocketChannel channel;
    /** Completes at deallocation with whether a send was in flight at that moment. */
    final CompletableFuture<Boolean> releasedWhileInFlight = new CompletableFuture<>();

    TrackedBuffer(ProactorSocketChannel channel, int capacity) {
        super(UnpooledByteBufAllocator.DEFAULT, capacity, capacity);
        this.channel = channel;
    }

    @Override
    protected void deallocate() {
        if (channel.eventLoop().inEventLoop()) {
            releasedWhileInFlight.complete(channel.isWriteInFlight());
        } else {
            releasedWhileInFlight.completeExceptionally(new AssertionError("released off the event loop thread"));
        }
        super.deallocate();
    }
}
