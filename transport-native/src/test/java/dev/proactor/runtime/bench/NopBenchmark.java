package dev.proactor.runtime.bench;

import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.uring.UringDriver;

import java.lang.management.ManagementFactory;

/**
 * NOP throughput per available driver: batches of NOPs submitted, then one poll that waits for them.
 * Measures the per-op cost of the driver itself (ring writes, completion dispatch, syscalls per batch).
 * Usage: {@code NopBenchmark [batch=64] [seconds=3]}.
 */
public final class NopBenchmark {
    private NopBenchmark() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        System.out.println(Drivers.describe());
        for (DriverKind kind : DriverKind.values()) {
            if (!Drivers.isAvailable(kind)) {
                System.out.printf("%-8s skipped: %s%n", kind, Drivers.unavailabilityCause(kind).getMessage());
                continue;
            }
            try (Driver driver = Drivers.open(DriverConfig.defaults().withKind(kind))) {
                run(driver, batch, 1.0, false);
                run(driver, batch, seconds, true);
            }
        }
    }

    private static void run(Driver driver, int batch, double seconds, boolean report) {
        Op[] ops = new Op[batch];
        for (int i = 0; i < batch; i++) {
            ops[i] = new Op();
        }
        int[] completed = new int[1];
        CompletionHandler handler = (op, result, flags) -> completed[0]++;
        long enters0 = driver instanceof UringDriver ? ((UringDriver) driver).enterCalls() : 0;
        long allocated0 = allocatedBytes();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long done = 0;
        long batches = 0;
        while (System.nanoTime() < end) {
            for (int round = 0; round < 100; round++) {
                for (Op op : ops) {
                    driver.submit(op.prepareNop());
                }
                completed[0] = 0;
                while (completed[0] < batch) {
                    driver.poll(-1, handler);
                }
                done += batch;
                batches++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long allocated = allocatedBytes() - allocated0;
        if (report) {
            String enters = driver instanceof UringDriver
                    ? String.format(", %.2f io_uring_enter per batch", (((UringDriver) driver).enterCalls() - enters0) / (double) batches)
                    : "";
            System.out.printf("%-8s batch %d: %,.0f NOP ops/s (%.1f ns/op)%s, %.3f bytes allocated per op%n",
                    driver.kind(), batch, done / elapsed, elapsed * 1e9 / done, enters, allocated / (double) done);
        }
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
