package dev.proactor.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test when Netty reports a leaked ByteBuf. Registered for every test by JUnit's extension autodetection
 * (META-INF/services), so its static initializer installs the recording leak detector before any ByteBuf class
 * is initialised; surefire runs with {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 * After each test it forces collection, makes the detectors poll, and fails on any report.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback {
    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        install();
    }

    static void install() {
        if (!(ResourceLeakDetectorFactory.instance() instanceof RecordingFactory)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        // Leaks of an earlier test that were collected late must not be blamed on this one.
        collect();
        LEAKS.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            LEAKS.clear();
            return;
        }
        assertNoLeaks();
    }

    /** Collects garbage, lets the detectors see it, and fails if any ByteBuf was leaked. */
    static void assertNoLeaks() {
        List<String> leaks = takeLeaks();
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " leak(s) reported by Netty's leak detector:\n" + String.join("\n----\n", leaks));
        }
    }

    /** Collects garbage, lets the detectors see it, and returns (and forgets) the leaks reported so far. */
    static List<String> takeLeaks() {
        collect();
        List<String> out = new ArrayList<>();
        String s;
        while ((s = LEAKS.poll()) != null) {
            out.add(s);
        }
        return out;
    }

    private static void collect() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // A detector reports what the collector queued when it tracks a new buffer.
            poke(UnpooledByteBufAllocator.DEFAULT.directBuffer(1));
            poke(UnpooledByteBufAllocator.DEFAULT.heapBuffer(1));
            poke(PooledByteBufAllocator.DEFAULT.directBuffer(1));
            poke(PooledByteBufAllocator.DEFAULT.heapBuffer(1));
        }
    }

    private static void poke(ByteBuf buf) {
        buf.release();
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }

        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<?> resourceType, int samplingInterval) {
            super(resourceType, samplingInterval);
        }

        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK: " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK: " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
