package dev.proactor.netty;

import dev.proactor.runtime.Op;
import io.netty.channel.IoOps;

/**
 * One runtime {@link Op} to submit through a {@link ProactorIoRegistration}. The wrapper is as reusable as the op:
 * a channel creates one per op it owns and submits it again after each final completion.
 */
public final class ProactorIoOps implements IoOps {
    private final Op op;

    public ProactorIoOps(Op op) {
        if (op == null) {
            throw new NullPointerException("op");
        }
        this.op = op;
    }

    public Op op() {
        return op;
    }

    @Override
    public String toString() {
        return "ProactorIoOps[" + op + "]";
    }
}
