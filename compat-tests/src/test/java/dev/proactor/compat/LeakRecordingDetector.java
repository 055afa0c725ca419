package dev.proactor.compat;

import io.netty.util.ResourceLeakDetector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty's leak detector, installed with {@code -Dio.netty.customResourceLeakDetector}, that also keeps every
 * "LEAK:" report: in memory for {@link LeakCheckExtension}, and as a file under {@value #DIRECTORY_PROPERTY}
 * for the matrix step, which fails the build if any exists (a leak found after a JVM's last test still counts).
 */
public class LeakRecordingDetector<T> extends ResourceLeakDetector<T> {
    public static final String DIRECTORY_PROPERTY = "proactor.compat.leakReports";
    private static final List<String> REPORTS = new ArrayList<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    @SuppressWarnings("deprecation")
    public LeakRecordingDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    /** Reports recorded so far in this JVM. */
    public static synchronized int count() {
        return REPORTS.size();
    }

    /** Reports recorded since {@code from} (an earlier {@link #count()}). */
    public static synchronized List<String> since(int from) {
        return new ArrayList<>(REPORTS.subList(from, REPORTS.size()));
    }

    // Report even if the logging backend is configured to drop errors.
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected." + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        record("LEAK: " + resourceType + ".release() was not called before it was garbage-collected (no records).");
        super.reportUntracedLeak(resourceType);
    }

    private static void record(String report) {
        synchronized (LeakRecordingDetector.class) {
            REPORTS.add(report);
        }
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir != null) {
            try {
                Path d = Files.createDirectories(Path.of(dir));
                String name = "leak-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".txt";
                String context = "pair " + System.getProperty(ProactorSocketTestPermutation.SERVER_PROPERTY) + "-"
                        + System.getProperty(ProactorSocketTestPermutation.CLIENT_PROPERTY) + ", test class "
                        + LeakCheckExtension.currentClass() + "\n";
                Files.writeString(d.resolve(name), context + report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot record leak report in " + dir, e);
            }
        }
    }
}
