package dev.proactor.runtime.conformance;

import dev.proactor.runtime.Op;
import dev.proactor.runtime.Owner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An {@link Owner} that records how many times it was released and how many completions of its op had been
 * delivered at that moment, so tests can check "exactly once, and only after the final completion".
 */
public final class OwnerProbe implements Owner {
    private final DriverLoop loop;
    private final Op op;
    private int releases;
    private int completionsAtRelease = -1;

    private OwnerProbe(DriverLoop loop, Op op) {
        this.loop = loop;
        this.op = op;
    }

    /** Creates a probe and makes it {@code op}'s owner. */
    public static OwnerProbe on(DriverLoop loop, Op op) {
        OwnerProbe p = new OwnerProbe(loop, op);
        op.owner(p);
        return p;
    }

    @Override
    public void release() {
        releases++;
        completionsAtRelease = loop.completionsOf(op);
    }

    public int releases() {
        return releases;
    }

    public void assertNotReleased() {
        assertEquals(0, releases, op + ": owner released before its final completion");
    }

    /** Released exactly once, after exactly {@code completions} completions had been delivered. */
    public void assertReleasedOnceAfter(int completions) {
        assertEquals(1, releases, op + ": owner release count");
        assertEquals(completions, completionsAtRelease, op + ": completions delivered when the owner was released");
    }
}
