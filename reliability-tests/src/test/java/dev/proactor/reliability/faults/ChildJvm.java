package dev.proactor.reliability.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from a test with this test's classpath, optionally under a wrapper (a low {@code ulimit -n}, a
 * network namespace). Its output lines (stdout and stderr merged) are collected as they come.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    fresh.add(line);
                }
            } catch (IOException ignore) {
                // the process ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} with {@code args} in a new JVM.
     *
     * @param wrapper command words put before {@code java} (empty for none)
     * @param jvmArgs extra JVM options (system properties ...)
     */
    static ChildJvm start(List<String> wrapper, List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(main.getName());
        cmd.addAll(Arrays.asList(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** A wrapper that lowers the open-file limit to {@code n} before exec'ing the JVM (same pid). */
    static List<String> withFileLimit(int n) {
        return List.of("bash", "-c", "ulimit -n " + n + " && exec \"$@\"", "ulimit-wrapper");
    }

    /** Waits for a line matching {@code p}; returns it, or fails with everything seen so far. */
    String await(Predicate<String> p, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (String l : lines()) {
            if (p.test(l)) {
                return l;
            }
        }
        for (;;) {
            long left = deadline - System.nanoTime();
            String l = left > 0 ? fresh.poll(left, TimeUnit.NANOSECONDS) : null;
            if (l == null) {
                throw new AssertionError("no expected line from the child within " + timeout + " " + unit
                        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; output:\n"
                        + String.join("\n", lines()));
            }
            if (p.test(l)) {
                return l;
            }
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    long pid() {
        return process.pid();
    }

    /** CPU time (user + system) the child has used so far, in milliseconds, from /proc/pid/stat. */
    long cpuMillis() throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"));
        // Fields after the command name (which may contain spaces) start after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new AssertionError("child did not exit; output:\n" + String.join("\n", lines()));
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
