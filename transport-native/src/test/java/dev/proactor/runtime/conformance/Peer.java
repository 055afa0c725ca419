package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.fail;

/** Another thread with its own driver of the same kind, running a test body (the "client driver"). */
public final class Peer {
    /** The body a peer runs with its own loop. */
    @FunctionalInterface
    public interface Body {
        void run(DriverLoop loop) throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean done;

    private Peer(String name, DriverKind kind, Body body) {
        thread = new Thread(() -> {
            try (DriverLoop loop = DriverLoop.open(kind)) {
                body.run(loop);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done = true;
            }
        }, name);
        thread.setDaemon(true);
    }

    public static Peer start(String name, DriverKind kind, Body body) {
        Peer p = new Peer(name, kind, body);
        p.thread.start();
        return p;
    }

    /** Finished, successfully or not. */
    public boolean isDone() {
        return done;
    }

    /** Waits for the peer and rethrows its failure. */
    public void join(Duration max) throws InterruptedException {
        thread.join(max.toMillis());
        if (thread.isAlive()) {
            fail(thread.getName() + " did not finish within " + max);
        }
        Throwable t = failure.get();
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new AssertionError(thread.getName() + " failed: " + t, t);
        }
    }
}
