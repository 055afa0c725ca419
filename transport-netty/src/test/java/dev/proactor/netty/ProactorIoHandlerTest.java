package dev.proactor.netty;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Op;
import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.ManualIoEventLoop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler's contract with handles, driven by hand on the test thread. */
class ProactorIoHandlerTest {

    /** A handle that records its completions; close() cancels its op, as channels do. */
    private static final class RecordingHandle implements ProactorIoHandle {
        final List<Integer> results = new CopyOnWriteArrayList<>();
        volatile boolean unregistered;
        volatile int completionsAtUnregister = -1;
        IoRegistration registration;
        ProactorIoOps ops;

        @Override
        public void handle(IoRegistration r, IoEvent e) {
            results.add(((ProactorIoEvent) e).result());
        }

        @Override
        public void unregistered() {
            unregistered = true;
            completionsAtUnregister = results.size();
        }

        @Override
        public void close() {
            ((ProactorIoRegistration) registration.attachment()).cancel(ops);
            registration.cancel();
        }
    }

    private static ManualIoEventLoop loop(DriverKind kind) {
        return new ManualIoEventLoop(Thread.currentThread(),
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
    }

    private static void runUntil(ManualIoEventLoop loop, java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            loop.run(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertTrue(done.getAsBoolean(), "condition not reached");
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void unregisteredOnlyAfterTheLastCompletion(DriverKind kind) throws Exception {
        ManualIoEventLoop loop = loop(kind);
        RecordingHandle h = new RecordingHandle();
        h.registration = loop.register(h).get();
        h.ops = new ProactorIoOps(new Op().prepareTimeout(TimeUnit.SECONDS.toNanos(30)));

        assertTrue(h.registration.submit(h.ops) != 0);
        loop.runNow();
        assertTrue(h.registration.cancel(), "first cancel");
        assertFalse(h.registration.cancel(), "cancel is true only once");
        assertFalse(h.registration.isValid());
        loop.runNow();
        assertFalse(h.unregistered, "unregistered while an op was still in flight");
        assertEquals(0, h.registration.submit(new ProactorIoOps(new Op().prepareNop())), "submit after cancel");

        ((ProactorIoRegistration) h.registration.attachment()).cancel(h.ops);
        runUntil(loop, () -> h.unregistered);
        assertEquals(List.of(-Errno.ECANCELED), h.results);
        assertEquals(1, h.completionsAtUnregister, "unregistered() came after the completion");
        shutdown(loop);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void completionsReachTheirHandle(DriverKind kind) throws Exception {
        ManualIoEventLoop loop = loop(kind);
        RecordingHandle a = new RecordingHandle();
        RecordingHandle b = new RecordingHandle();
        a.registration = loop.register(a).get();
        b.registration = loop.register(b).get();
        a.ops = new ProactorIoOps(new Op().prepareNop());
        b.ops = new ProactorIoOps(new Op().prepareTimeout(TimeUnit.MILLISECONDS.toNanos(20)));
        a.registration.submit(a.ops);
        b.registration.submit(b.ops);
        runUntil(loop, () -> a.results.size() == 1 && b.results.size() == 1);
        assertEquals(List.of(0), a.results);
        assertEquals(List.of(-Errno.ETIME), b.results);
        assertSame(a.registration.attachment(), a.registration.attachment());
        shutdown(loop);
        assertTrue(a.unregistered && b.unregistered);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void shutdownClosesHandlesAndWaitsForTheirOps(DriverKind kind) throws Exception {
        ManualIoEventLoop loop = loop(kind);
        RecordingHandle h = new RecordingHandle();
        h.registration = loop.register(h).get();
        h.ops = new ProactorIoOps(new Op().prepareTimeout(TimeUnit.SECONDS.toNanos(30)));
        h.registration.submit(h.ops);
        loop.runNow();
        shutdown(loop);
        assertTrue(h.unregistered);
        assertEquals(1, h.completionsAtUnregister, "the cancelled op completed before unregistered()");
    }

    private static void shutdown(ManualIoEventLoop loop) {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        runUntil(loop, loop::isTerminated);
    }
}
