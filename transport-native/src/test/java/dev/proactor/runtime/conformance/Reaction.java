package dev.proactor.runtime.conformance;

import dev.proactor.runtime.Op;

/** Attached to an op: what the test does when that op completes (a small state machine step). */
@FunctionalInterface
public interface Reaction {
    void react(Op op, int result, int flags);
}
