package dev.proactor.runtime.poll;

import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.conformance.DriverLoop;
import dev.proactor.runtime.conformance.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-op path of the poll driver (submit, try, wait, edge, retry, complete) allocates nothing. */
@EnabledOnOs(OS.LINUX)
class PollDriverAllocationTest {

    @Test
    void steadyStatePingPongAllocatesNothingPerOp() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        Driver driver = Drivers.open(DriverConfig.defaults().withKind(DriverKind.POLL));
        DriverLoop setup = new DriverLoop(driver);
        try (Loopback.Pair p = Loopback.pair(setup)) {
            NativeBuffer a = NativeBuffer.allocate(64);
            NativeBuffer b = NativeBuffer.allocate(64);
            Op send = new Op();
            Op recv = new Op();
            Op timer = new Op();
            int[] done = new int[1];
            CompletionHandler handler = (op, result, flags) -> {
                if (result < 0 && op != timer) {
                    throw new AssertionError("op failed: " + result);
                }
                done[0]++;
            };
            int clientFd = p.client().fd();
            int serverFd = p.server().fd();
            long tid = Thread.currentThread().getId();
            long before = 0;
            int rounds = 30_000;
            for (int i = 0; i < 2 * rounds; i++) {
                if (i == rounds) {
                    before = mx.getThreadAllocatedBytes(tid); // after warm-up
                }
                done[0] = 0;
                driver.submit(recv.prepareRecv(serverFd, b.address(), 64, 0)); // waits: nothing sent yet
                driver.poll(0, handler);
                driver.submit(send.prepareSend(clientFd, a.address(), 64, 0));
                driver.submit(timer.prepareTimeout(0));
                while (done[0] < 3) {
                    driver.poll(-1, handler);
                }
            }
            long perRound = (mx.getThreadAllocatedBytes(tid) - before) / rounds;
            assertEquals(0, driver.inFlight());
            assertTrue(perRound < 8, "bytes allocated per round of recv+send+timeout: " + perRound);
        } finally {
            driver.close();
        }
    }
}
