package dev.proactor.reliability.chaos;

import dev.proactor.netty.LeakReports;
import dev.proactor.reliability.buffers.BufferLedger;
import dev.proactor.reliability.buffers.CheckingByteBufAllocator;
import dev.proactor.reliability.process.FdSnapshot;
import dev.proactor.reliability.process.WarningRecorder;
import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos run on each driver (about {@code -Dchaos.seconds}, default 45, plus shutdown), under the checking
 * allocator: afterwards no data mismatch, no stuck connection, no leak report (paranoid detection), every buffer
 * freed exactly once and never released after, no write into released memory, no socket, pipe or io_uring/epoll
 * descriptor left open, no thread left running, no warning logged by the transport (such as an exception thrown
 * out of a completion).
 */
class ChaosTest {
    private static final int SECONDS = Integer.getInteger("chaos.seconds", 45);
    private static final int CONCURRENCY = Integer.getInteger("chaos.concurrency", 96);

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void thousandsOfConnectionsMisbehavingLeaveNothingBehind(DriverKind kind) throws Exception {
        LeakReports.take();
        FdSnapshot before = FdSnapshot.takeSettled();
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(2_000);
        ChaosRun run = new ChaosRun(kind, Duration.ofSeconds(SECONDS), Duration.ofSeconds(8), alloc, CONCURRENCY);
        long t0 = System.nanoTime();
        ChaosStats s;
        List<String> warnings;
        try (WarningRecorder recorder = WarningRecorder.start("dev.proactor")) {
            s = run.run();
            warnings = recorder.warnings();
        }
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        List<String> aliveThreads = run.threads().stillAlive(5_000);
        alloc.quarantine().verifyAll();
        List<String> leaks = LeakReports.take();
        FdSnapshot after = FdSnapshot.takeSettled();
        List<String> newFds = after.newTransportLikeSince(before);
        BufferLedger.Snapshot ledger = alloc.ledger().snapshot();

        System.out.println("=== chaos on " + kind + ": " + runMillis + " ms\n" + s + "\n" + ledger + "\n"
                + alloc.quarantine() + "\nleak reports: " + leaks.size() + "\nfds before: " + before + ", after: " + after
                + "\nthreads made: " + run.threads().created() + ", still alive: " + aliveThreads.size()
                + "\ntransport warnings: " + warnings.size());

        assertEquals(0, s.mismatches.sum(), () -> "echo mismatches: " + s.samples());
        assertEquals(0, s.stuck.sum(), () -> "stuck connections: " + s.samples());
        assertTrue(warnings.isEmpty(), () -> warnings.size() + " transport warning(s), first: " + warnings.subList(0, Math.min(5, warnings.size())));
        assertTrue(leaks.isEmpty(), () -> leaks.size() + " leak report(s):\n" + String.join("\n", leaks));
        assertTrue(ledger.isClean(), () -> ledger + " " + ledger.evidence);
        assertEquals(0, alloc.quarantine().corruptions(), () -> "written after release: " + alloc.quarantine().reports());
        assertTrue(newFds.isEmpty(), () -> "descriptors left open: " + newFds);
        assertTrue(aliveThreads.isEmpty(), () -> "threads still running: " + aliveThreads);

        // The run did what it claims (counts, not speed).
        Map<String, Long> scenarios = s.scenarios();
        for (ClientScenario sc : EnumSet.allOf(ClientScenario.class)) {
            assertTrue(scenarios.getOrDefault(sc.name(), 0L) > 0, () -> "scenario never ran: " + sc);
        }
        assertTrue(s.verifiedComplete.sum() > 0 && s.resetsSent.sum() > 0 && s.halfCloses.sum() > 0
                && s.foreignThreadCloses.sum() > 0 && s.closesWithWriteInFlight.sum() > 0
                && s.loopShutdownsUnderLoad.sum() > 0 && s.resetsSeen.sum() > 0, s::toString);
    }
}
