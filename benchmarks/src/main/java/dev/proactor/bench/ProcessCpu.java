package dev.proactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, from /proc: by one process (user + system, all threads, including softirq work done
 * in its context) and by the whole machine (to see how much other processes took during a measurement).
 */
final class ProcessCpu {

    /** USER_HZ: the unit of utime/stime; 100 on every mainstream Linux architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = Long.getLong("proactor.bench.clockTicks", 100);

    private ProcessCpu() {
    }

    static long nanos(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read CPU time of pid " + pid, e);
        }
        // the command name in parentheses may contain spaces: count fields after its closing ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }

    /** Busy time of all CPUs together: user, nice, system, irq, softirq and steal of /proc/stat's "cpu" line. */
    static long machineBusyNanos() {
        String line;
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            line = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
        String[] f = line.trim().split("\\s+");
        long ticks = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                + Long.parseLong(f[6]) + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        return ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
    }
}
