package dev.proactor.runtime.conformance;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driver counters ({@code Driver.stats()}) move with what the driver really does, on every driver. */
public class DriverCountersConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void nopsCountOneSubmissionAndOneCompletionEachAndArriveInFewKernelWaits(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            assertEquals(DriverStats.zero(kind), loop.driver().stats(), "a new driver has counted nothing");
            int n = 100;
            List<Op> nops = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nops.add(loop.submit(new Op().prepareNop()));
            }
            DriverStats queued = loop.driver().stats();
            assertEquals(n, queued.submitted());
            assertEquals(0, queued.completions(), "nothing completes before a poll");
            loop.runUntil(() -> loop.completions().size() == n, "the NOPs");

            DriverStats s = loop.driver().stats();
            assertEquals(kind, s.kind());
            assertEquals(n, s.submitted());
            assertEquals(n, s.completions());
            assertTrue(s.polls() >= 1, s::toString);
            assertTrue(s.kernelWaits() >= 1, () -> "every poll looks into the kernel once at least: " + s);
            assertTrue(s.kernelWaits() <= 2 * s.polls(), () -> "at most two kernel waits per poll: " + s);
            assertTrue(s.completionsPerKernelWait() >= (double) n / (2 * s.polls()), s::toString);
            assertEquals(0, s.cancels());
            assertEquals(0, s.bufferRecycles());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void sendAndRecvOnARealSocketCountTwoSubmissionsAndTwoCompletionsPerRoundTrip(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer out = NativeBuffer.allocate(64);
            NativeBuffer in = NativeBuffer.allocate(64);
            Op send = new Op();
            Op recv = new Op();
            DriverStats before = loop.driver().stats();
            int rounds = 20;
            for (int i = 0; i < rounds; i++) {
                loop.submit(recv.prepareRecv(p.server().fd(), in.address(), 64, 0));
                loop.submit(send.prepareSend(p.client().fd(), out.address(), 64, 0));
                assertEquals(64, loop.await(send).result());
                assertEquals(64, loop.await(recv).result());
            }
            DriverStats d = loop.driver().stats().minus(before);
            assertEquals(2L * rounds, d.submitted(), d::toString);
            assertEquals(2L * rounds, d.completions(), d::toString);
            assertTrue(d.kernelWaits() >= 1 && d.polls() >= 1, d::toString);
            assertEquals(0, d.cancels());
            if (kind == DriverKind.IO_URING) {
                assertEquals(0, d.directCalls(), () -> "io_uring makes no system call per operation: " + d);
            } else {
                assertTrue(d.directCalls() >= 2L * rounds, () -> "one send and one recv call at least per round: " + d);
            }
            assertEquals((double) (d.kernelWaits() + d.directCalls()) / d.submitted(), d.syscallsPerSubmission(), 1e-9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void aCancelledRecvCountsOneCancelAndItsOneCompletion(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(64);
            Op recv = loop.submit(new Op().prepareRecv(p.server().fd(), in.address(), 64, 0));
            loop.runFor(Duration.ofMillis(20));
            DriverStats before = loop.driver().stats();
            assertTrue(loop.driver().cancel(recv));
            assertEquals(-Errno.ECANCELED, loop.await(recv).result());
            assertTrue(!loop.driver().cancel(recv), "no longer in flight");

            DriverStats d = loop.driver().stats().minus(before);
            assertEquals(1, d.cancels(), "one accepted cancel request; the refused one is not counted: " + d);
            assertEquals(1, d.completions(), d::toString);
            assertEquals(0, d.submitted(), d::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void everyRecycledProvidedBufferIsCounted(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(5, 4, 256);
            int total = 3 * 256;
            Loopback.sendAll(loop, p.client().fd(), ProvidedBufferConformanceTest.pattern(total).address(), total);
            Op recv = new Op();
            int received = 0;
            int recycled = 0;
            while (received < total) {
                loop.submit(recv.prepareRecvProvided(p.server().fd(), 5, 0));
                DriverLoop.Completed c = loop.await(recv);
                assertTrue(c.result() > 0 && Completion.hasBuffer(c.flags()), () -> "result " + c.result());
                received += c.result();
                ring.recycle(Completion.bufferId(c.flags()));
                recycled++;
            }
            assertEquals(recycled, loop.driver().stats().bufferRecycles());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void anotherThreadReadsGrowingCountsWhileTheOwnerWorksAndAfterClose(DriverKind kind) throws Exception {
        DriverLoop loop = DriverLoop.open(kind);
        int n = 20_000;
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            DriverStats last = DriverStats.zero(kind);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (last.completions() < n && System.nanoTime() < deadline) {
                DriverStats s = loop.driver().stats(); // not the owner: must neither throw nor see counts go back
                if (s.submitted() < last.submitted() || s.completions() < last.completions()
                        || s.polls() < last.polls() || s.kernelWaits() < last.kernelWaits()) {
                    problem.set("counts went back from " + last + " to " + s);
                    return;
                }
                last = s;
            }
            if (last.completions() < n) {
                problem.set("the reader never saw " + n + " completions; last " + last);
            }
        }, "stats-reader");
        reader.start();
        try {
            Op nop = new Op();
            for (int i = 0; i < n; i++) {
                loop.call(nop.prepareNop());
            }
        } finally {
            loop.close();
        }
        reader.join(TimeUnit.SECONDS.toMillis(40));
        assertNull(problem.get());
        DriverStats closed = CompletableFuture.supplyAsync(loop.driver()::stats).get(10, TimeUnit.SECONDS);
        assertEquals(n, closed.submitted());
        assertEquals(n, closed.completions());
    }
}
