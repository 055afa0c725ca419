package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submission, cancellation, ownership, close, wake-up and timers: the same on every driver. */
class LifecycleConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void nopCompletesOnlyDuringPoll(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            Op nop = new Op().prepareNop();
            OwnerProbe owner = OwnerProbe.on(loop, nop);
            loop.submit(nop);
            assertEquals(1, loop.driver().inFlight());
            assertEquals(0, loop.completionsOf(nop), "submit must not complete anything");
            owner.assertNotReleased();
            assertEquals(0, loop.await(nop).result());
            owner.assertReleasedOnceAfter(1);
            assertEquals(0, loop.driver().inFlight());
            assertThrows(IllegalStateException.class, () -> {
                loop.submit(nop.prepareNop());
                loop.submit(nop);
            }, "submitting an op that is in flight");
            loop.await(nop);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void handlerMayResubmitTheCompletedOp(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            int[] runs = {0};
            Op op = new Op();
            Reaction again = (o, r, f) -> {
                if (++runs[0] < 10) {
                    loop.submit(o.prepareNop());
                }
            };
            loop.submit(op.prepareNop().attach(again));
            loop.runUntil(() -> runs[0] == 10, "ten chained NOPs");
            loop.runFor(Duration.ofMillis(20));
            assertEquals(10, runs[0]);
            assertEquals(0, loop.driver().inFlight());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelOfPendingRecvCompletesWithEcanceledThenReleases(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(64);
            Op recv = new Op().prepareRecv(p.client().fd(), buf.address(), 64, 0);
            OwnerProbe owner = OwnerProbe.on(loop, recv);
            loop.submit(recv);
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(recv));
            assertTrue(loop.driver().cancel(recv), "cancel of an op in flight");
            assertEquals(0, loop.completionsOf(recv), "cancel must not complete synchronously");
            owner.assertNotReleased();
            assertEquals(-Errno.ECANCELED, loop.await(recv).result());
            owner.assertReleasedOnceAfter(1);
            assertFalse(loop.driver().cancel(recv), "cancel of an op no longer in flight");
            loop.runFor(Duration.ofMillis(30));
            assertEquals(1, loop.completionsOf(recv), "exactly one completion");
            assertEquals(1, owner.releases());
        }
    }

    /**
     * A socket closed (CLOSE op) while a recv and a send are in flight on it: every op completes exactly once
     * (the driver may cancel them itself, or they end when cancelled), and owners are released only then.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void closeOfSocketWithRecvAndSendInFlight(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            Socket c = p.client();
            c.setOption(SocketOptions.SO_SNDBUF, 4096);
            p.server().setOption(SocketOptions.SO_RCVBUF, 4096);
            NativeBuffer big = NativeBuffer.allocate(1 << 20);
            Op send = new Op();
            OwnerProbe sendOwner;
            // Fill the send path until a send stays pending (the peer never reads).
            for (int i = 0; ; i++) {
                assertTrue(i < 1000, "the send buffer never filled");
                sendOwner = OwnerProbe.on(loop, send.prepareSend(c.fd(), big.address(), big.size(), 0));
                loop.submit(send);
                loop.runFor(Duration.ofMillis(30));
                if (!loop.hasCompletion(send)) {
                    break;
                }
                int r = loop.await(send).result();
                assertTrue(r > 0, () -> "send: " + Errno.name(r));
                sendOwner.assertReleasedOnceAfter(i + 1);
            }
            int earlierSends = loop.completionsOf(send);
            NativeBuffer in = NativeBuffer.allocate(64);
            Op recv = new Op().prepareRecv(c.fd(), in.address(), 64, 0);
            OwnerProbe recvOwner = OwnerProbe.on(loop, recv);
            loop.submit(recv);
            loop.runFor(Duration.ofMillis(30));
            assertFalse(loop.hasCompletion(recv));
            assertFalse(loop.hasCompletion(send));
            recvOwner.assertNotReleased();

            int close = loop.call(new Op().prepareClose(c.detach()));
            assertEquals(0, close, () -> "close: " + Errno.name(close));
            loop.driver().cancel(recv);
            loop.driver().cancel(send);
            loop.runUntil(() -> loop.completionsOf(recv) == 1 && loop.completionsOf(send) == earlierSends + 1, "recv and send to end");
            loop.runFor(Duration.ofMillis(30));
            assertEquals(1, loop.completionsOf(recv));
            assertEquals(earlierSends + 1, loop.completionsOf(send));
            int rr = loop.await(recv).result();
            int sr = loop.await(send).result();
            assertTrue(rr == -Errno.ECANCELED || rr == 0, () -> "recv ended with " + Errno.name(rr));
            assertTrue(sr == -Errno.ECANCELED || sr > 0 || sr == -Errno.EPIPE, () -> "send ended with " + Errno.name(sr));
            recvOwner.assertReleasedOnceAfter(1);
            sendOwner.assertReleasedOnceAfter(earlierSends + 1);
            assertEquals(0, loop.driver().inFlight());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void driverCloseReleasesEveryOwnerOnceWithoutDelivering(DriverKind kind) {
        DriverLoop loop = DriverLoop.open(kind);
        Socket listener = Loopback.listener(4);
        Loopback.Pair p = Loopback.pair(loop);
        try {
            int before = loop.completions().size();
            NativeBuffer buf = NativeBuffer.allocate(64);
            List<Op> ops = List.of(
                    new Op().prepareRecv(p.client().fd(), buf.address(), 64, 0),
                    new Op().prepareAccept(listener.fd(), 0, 0, 0),
                    new Op().prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT),
                    new Op().prepareTimeout(Duration.ofMinutes(5).toNanos()),
                    new Op().preparePoll(p.server().fd(), LinuxConstants.POLLIN),
                    new Op().prepareNop());
            List<OwnerProbe> owners = new ArrayList<>();
            for (int i = 0; i < ops.size() - 1; i++) {
                owners.add(OwnerProbe.on(loop, ops.get(i)));
                loop.submit(ops.get(i));
            }
            loop.runFor(Duration.ofMillis(50)); // all but the NOP are now waiting
            Op nop = ops.get(ops.size() - 1);
            owners.add(OwnerProbe.on(loop, nop));
            loop.submit(nop); // and this one was never polled
            assertEquals(before, loop.completions().size(), "nothing should have completed");
            assertEquals(ops.size(), loop.driver().inFlight());
            loop.close();
            for (OwnerProbe o : owners) {
                o.assertReleasedOnceAfter(0);
            }
            for (Op op : ops) {
                assertFalse(op.isInFlight(), op + " still marked in flight");
            }
            assertEquals(0, loop.driver().inFlight());
            assertEquals(before, loop.completions().size(), "close must not deliver completions");
            loop.close(); // idempotent
            for (OwnerProbe o : owners) {
                assertEquals(1, o.releases());
            }
            assertThrows(IllegalStateException.class, () -> loop.submit(new Op().prepareNop()));
        } finally {
            loop.close();
            p.close();
            Loopback.closeQuietly(listener);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void wakeFromAnotherThreadEndsBlockingPoll(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            AtomicLong wokeAt = new AtomicLong();
            AtomicBoolean watchdogFired = new AtomicBoolean();
            CountDownLatch polling = new CountDownLatch(1);
            Thread waker = new Thread(() -> {
                try {
                    polling.await();
                    Thread.sleep(150);
                    wokeAt.set(System.nanoTime());
                    loop.driver().wake();
                    if (!sleepUnlessInterrupted(10_000)) {
                        return;
                    }
                    watchdogFired.set(true); // the first wake was lost: end the test instead of hanging
                    loop.driver().wake();
                } catch (InterruptedException ignored) {
                    // test over
                }
            }, "waker");
            waker.start();
            polling.countDown();
            int n = loop.driver().poll(-1, loop.handler());
            long returnedAt = System.nanoTime();
            waker.interrupt();
            waker.join();
            assertFalse(watchdogFired.get(), "poll(-1) did not return after wake()");
            assertEquals(0, n);
            assertTrue(wokeAt.get() != 0 && returnedAt - wokeAt.get() >= 0, "poll returned before the wake");

            // A wake before poll makes the next poll(-1) return at once, from the owner or another thread.
            loop.driver().wake();
            assertEquals(0, loop.driver().poll(-1, loop.handler()));
            Thread other = new Thread(() -> loop.driver().wake());
            other.start();
            other.join();
            loop.driver().poll(-1, loop.handler());
        }
    }

    private static boolean sleepUnlessInterrupted(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void manyWakesFromManyThreadsAreHarmless(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> wakers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread th = new Thread(() -> {
                    while (!stop.get()) {
                        loop.driver().wake();
                    }
                });
                th.start();
                wakers.add(th);
            }
            Op timer = loop.submit(new Op().prepareTimeout(Duration.ofMillis(100).toNanos()));
            assertEquals(-Errno.ETIME, loop.await(timer).result());
            stop.set(true);
            for (Thread th : wakers) {
                th.join();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void timeoutsExpireInOrderAndNeverEarly(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            long start = System.nanoTime();
            Op t90 = loop.submit(new Op().prepareTimeout(Duration.ofMillis(90).toNanos()));
            Op t30 = loop.submit(new Op().prepareTimeout(Duration.ofMillis(30).toNanos()));
            Op t60 = loop.submit(new Op().prepareTimeout(Duration.ofMillis(60).toNanos()));
            Op cancelled = loop.submit(new Op().prepareTimeout(Duration.ofSeconds(30).toNanos()));
            long[] at = new long[3];
            Op[] order = {t30, t60, t90};
            for (int i = 0; i < 3; i++) {
                assertEquals(-Errno.ETIME, loop.await(order[i]).result(), "timeout result");
                at[i] = System.nanoTime() - start;
            }
            List<Op> completed = new ArrayList<>();
            for (DriverLoop.Completed c : loop.completions()) {
                completed.add(c.op());
            }
            assertEquals(List.of(t30, t60, t90), completed, "timeouts complete in deadline order");
            assertTrue(at[0] >= Duration.ofMillis(30).toNanos(), "30 ms timeout early: " + at[0]);
            assertTrue(at[1] >= Duration.ofMillis(60).toNanos(), "60 ms timeout early: " + at[1]);
            assertTrue(at[2] >= Duration.ofMillis(90).toNanos(), "90 ms timeout early: " + at[2]);
            assertTrue(loop.driver().cancel(cancelled));
            assertEquals(-Errno.ECANCELED, loop.await(cancelled).result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void blockingPollReturnsForATimer(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            AtomicBoolean watchdogFired = new AtomicBoolean();
            Thread watchdog = new Thread(() -> {
                if (sleepUnlessInterrupted(10_000)) {
                    watchdogFired.set(true);
                    loop.driver().wake();
                }
            });
            watchdog.start();
            long start = System.nanoTime();
            Op t = loop.submit(new Op().prepareTimeout(Duration.ofMillis(20).toNanos()));
            int n = 0;
            while (n == 0 && !watchdogFired.get()) {
                n = loop.driver().poll(-1, loop.handler());
            }
            long elapsed = System.nanoTime() - start;
            watchdog.interrupt();
            watchdog.join();
            assertFalse(watchdogFired.get(), "poll(-1) with a timer pending never returned");
            assertEquals(1, n);
            assertEquals(-Errno.ETIME, loop.await(t).result());
            assertTrue(elapsed >= Duration.ofMillis(20).toNanos(), "timer early: " + elapsed);
            int zero = loop.driver().poll(0, loop.handler());
            assertEquals(0, zero, "poll(0) with nothing in flight");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void onlyTheOwningThreadMayDriveTheDriver(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            Op pending = loop.submit(new Op().prepareTimeout(Duration.ofSeconds(30).toNanos()));
            AtomicReference<List<String>> outcome = new AtomicReference<>();
            Thread other = new Thread(() -> {
                List<String> refused = new ArrayList<>();
                tryCall(refused, "submit", () -> loop.driver().submit(new Op().prepareNop()));
                tryCall(refused, "cancel", () -> loop.driver().cancel(pending));
                tryCall(refused, "poll", () -> loop.driver().poll(0, loop.handler()));
                tryCall(refused, "close", () -> loop.driver().close());
                loop.driver().wake(); // allowed
                outcome.set(refused);
            });
            other.start();
            other.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(List.of("submit", "cancel", "poll", "close"), outcome.get());
            assertEquals(1, loop.driver().inFlight(), "the foreign calls must have had no effect");
            assertTrue(loop.driver().cancel(pending));
            assertEquals(-Errno.ECANCELED, loop.await(pending).result());
        }
    }

    private static void tryCall(List<String> refused, String name, Runnable call) {
        try {
            call.run();
        } catch (IllegalStateException expected) {
            refused.add(name);
        }
    }
}
