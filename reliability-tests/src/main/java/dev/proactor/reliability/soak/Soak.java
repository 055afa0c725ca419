package dev.proactor.reliability.soak;

import dev.proactor.netty.Proactor;
import dev.proactor.reliability.chaos.ChaosRun;
import dev.proactor.reliability.chaos.ChaosStats;
import dev.proactor.runtime.DriverKind;
import io.netty.buffer.PooledByteBufAllocator;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The soak: the chaos load (see {@link ChaosRun}) for a long time on Netty's pooled allocator, with the
 * process's RSS, heap after GC, open descriptors and direct memory sampled every 10 s into a CSV and a PNG, and
 * a verdict per series: flat or not. Not a CI test; run it with {@code reliability-tests/soak.sh}.
 *
 * <p>Arguments: {@code --minutes N} (default 10), {@code --driver io_uring|poll} (default: automatic),
 * {@code --out DIR} (default reliability-tests/target/soak), {@code --interval SECONDS} (default 10).
 * Exit status 0 when every series is flat and the run saw no mismatch or stuck connection, 1 otherwise.
 */
public final class Soak {
    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        DriverKind kind = Proactor.driverKind();
        Path out = Paths.get("reliability-tests", "target", "soak");
        int interval = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes":
                    minutes = Double.parseDouble(args[++i]);
                    break;
                case "--driver":
                    kind = DriverKind.fromPropertyName(args[++i]);
                    break;
                case "--out":
                    out = Paths.get(args[++i]);
                    break;
                case "--interval":
                    interval = Integer.parseInt(args[++i]);
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(out);
        Duration duration = Duration.ofMillis((long) (minutes * 60_000));
        String name = "soak-" + kind;
        Path csv = out.resolve(name + ".csv");
        Path png = out.resolve(name + ".png");
        System.out.println("soak: " + minutes + " min on " + kind + " (" + Proactor.describe() + "), sampling every "
                + interval + " s into " + csv);

        ChaosRun run = new ChaosRun(kind, duration, Duration.ofSeconds(30), PooledByteBufAllocator.DEFAULT, 96);
        List<Sample> samples = new ArrayList<>();
        Thread load = new Thread(() -> {
            try {
                run.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "soak-load");
        long t0 = System.nanoTime();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
            w.println(Sample.CSV_HEADER);
            samples.add(record(w, run.stats(), t0));
            load.start();
            while (load.isAlive()) {
                load.join(TimeUnit.SECONDS.toMillis(interval));
                if (load.isAlive()) {
                    samples.add(record(w, run.stats(), t0));
                }
            }
        }
        Sample after = Sample.take((System.nanoTime() - t0) / 1e9, run.stats().connectAttempts.sum(),
                run.stats().bytesVerified.sum());
        ChaosStats stats = run.stats();
        List<Flatness> verdicts = List.of(
                Flatness.of("rss_mib", samples, 0, 0.10, 32),
                Flatness.of("heap_after_gc_mib", samples, 1, 0.10, 8),
                // Up to ~300 sockets are open at any moment, depending on where the load is: allow that much noise.
                Flatness.of("open_fds", samples, 2, 0.10, 64),
                Flatness.of("direct_mib", samples, 3, 0.10, 16));
        SoakPlot.write(png, "Proactor soak, " + kind + ", " + minutes + " min: " + stats.connectAttempts.sum()
                + " connections", samples, verdicts);
        System.out.println(stats);
        System.out.println("samples: " + samples.size() + " -> " + csv + ", " + png);
        System.out.println("after everything was shut down: " + Sample.CSV_HEADER + "\n  " + after.csv());
        boolean ok = stats.mismatches.sum() == 0 && stats.stuck.sum() == 0;
        for (Flatness f : verdicts) {
            System.out.println(f);
            ok &= f.isFlat();
        }
        System.out.println(ok ? "SOAK OK" : "SOAK FAILED");
        System.exit(ok ? 0 : 1);
    }

    private static Sample record(PrintWriter w, ChaosStats stats, long t0) {
        Sample s = Sample.take((System.nanoTime() - t0) / 1e9, stats.connectAttempts.sum(), stats.bytesVerified.sum());
        w.println(s.csv());
        w.flush();
        System.out.println("  " + s.csv());
        return s;
    }
}
