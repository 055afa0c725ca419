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

    /** Whether {@code ops} (null for one a channel creates when first needed) wraps {@code op}. */
    static boolean owns(ProactorIoOps ops, Op op) {
        return ops != null && ops.op == op;
    }

    /** Whether {@code ops} (possibly not created yet) is in flight. */
    static boolean isInFlight(ProactorIoOps ops) {
        return ops != null && ops.op.isInFlight();
    }

    @Override
    public String toString() {
        return "ProactorIoOps[" + op + "]";
    }
}
