package dev.proactor.runtime.conformance;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.Op;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A driver plus the bookkeeping tests need: every completion is recorded (in order, and per op), an op's
 * attached {@link Reaction} runs on its completion, and loops poll until a condition holds or a deadline
 * passes (then the test fails, naming what it waited for).
 */
public final class DriverLoop implements AutoCloseable {
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
    private static final long SLICE_NANOS = Duration.ofMillis(50).toNanos();

    /** One delivered completion. */
    public record Completed(Op op, int result, int flags, int sequence) {
        public boolean hasMore() {
            return Completion.hasMore(flags);
        }
    }

    private final Driver driver;
    private final List<Completed> all = new ArrayList<>();
    private final Map<Op, ArrayDeque<Completed>> unclaimed = new IdentityHashMap<>();
    private final Map<Op, Integer> counts = new IdentityHashMap<>();
    private final CompletionHandler handler = this::record;

    public DriverLoop(Driver driver) {
        this.driver = driver;
    }

    public static DriverLoop open(DriverKind kind) {
        return new DriverLoop(Drivers.open(DriverConfig.defaults().withKind(kind)));
    }

    public Driver driver() {
        return driver;
    }

    public CompletionHandler handler() {
        return handler;
    }

    private void record(Op op, int result, int flags) {
        Completed c = new Completed(op, result, flags, all.size());
        all.add(c);
        counts.merge(op, 1, Integer::sum);
        Object attachment = op.attachment();
        if (attachment instanceof Reaction) {
            ((Reaction) attachment).react(op, result, flags);
        } else {
            unclaimed.computeIfAbsent(op, k -> new ArrayDeque<>()).add(c);
        }
    }

    public Op submit(Op op) {
        driver.submit(op);
        return op;
    }

    /** One poll; returns the number delivered. */
    public int pollOnce(long timeoutNanos) {
        return driver.poll(timeoutNanos, handler);
    }

    /** Polls until {@code op} has an unclaimed completion, and claims it. */
    public Completed await(Op op) {
        return await(op, DEFAULT_WAIT);
    }

    public Completed await(Op op, Duration max) {
        runUntil(() -> unclaimed.containsKey(op), max, "a completion of " + op);
        ArrayDeque<Completed> q = unclaimed.get(op);
        Completed c = q.poll();
        if (q.isEmpty()) {
            unclaimed.remove(op);
        }
        return c;
    }

    /** Submits and waits for the (single) completion; returns its result. */
    public int call(Op op) {
        submit(op);
        return await(op).result();
    }

    /** Like {@link #call} but fails unless the result is not negative. */
    public int callOk(Op op) {
        int r = call(op);
        if (r < 0) {
            fail(op + " failed: " + Errno.name(r) + " (" + Errno.description(r) + ")");
        }
        return r;
    }

    public void runUntil(BooleanSupplier done, String what) {
        runUntil(done, DEFAULT_WAIT, what);
    }

    public void runUntil(BooleanSupplier done, Duration max, String what) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + max + " waiting for " + what + " on " + driver.kind()
                        + " (in flight: " + driver.inFlight() + ")");
            }
            pollOnce(SLICE_NANOS);
        }
    }

    /** Polls for about {@code d} (to let something that must NOT happen have its chance). */
    public void runFor(Duration d) {
        long deadline = System.nanoTime() + d.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            pollOnce(Math.min(left, SLICE_NANOS));
        }
    }

    public boolean hasCompletion(Op op) {
        return unclaimed.containsKey(op);
    }

    /** Completions delivered so far for {@code op} (claimed or not). */
    public int completionsOf(Op op) {
        return counts.getOrDefault(op, 0);
    }

    public List<Completed> completions() {
        return all;
    }

    @Override
    public void close() {
        driver.close();
    }
}
