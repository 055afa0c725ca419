package dev.proactor.netty;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.Op;
import io.netty.channel.IoEvent;

/** One completion, handed to {@link ProactorIoHandle#handle}. Reused: valid only during that call. */
public final class ProactorIoEvent implements IoEvent {
    private Op op;
    private int result;
    private int flags;

    void set(Op op, int result, int flags) {
        this.op = op;
        this.result = result;
        this.flags = flags;
    }

    /** The op that completed; it may be prepared and submitted again unless {@link #hasMore()}. */
    public Op op() {
        return op;
    }

    /** Bytes transferred, a descriptor, or a negative errno. */
    public int result() {
        return result;
    }

    /** {@link Completion} flags. */
    public int flags() {
        return flags;
    }

    /** More completions of the same (multishot) op follow. */
    public boolean hasMore() {
        return Completion.hasMore(flags);
    }

    @Override
    public String toString() {
        return "ProactorIoEvent[" + op + " result=" + result + " flags=" + flags + "]";
    }
}
