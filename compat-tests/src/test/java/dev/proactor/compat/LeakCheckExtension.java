package dev.proactor.compat;

import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fails a test class when Netty's leak detector reports a leak while it runs. Registered for every class through
 * JUnit's extension auto-detection (META-INF/services); needs {@link LeakRecordingDetector} installed.
 * Leaks are found only when the garbage collector has queued the lost object and the detector next tracks one,
 * so after each class this collects garbage and allocates a buffer (all ByteBufs share one detector).
 */
public class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheckExtension.class);
    private static volatile String currentClass = "(none)";

    static String currentClass() {
        return currentClass;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        currentClass = context.getRequiredTestClass().getSimpleName();
        context.getStore(NAMESPACE).put("start", LeakRecordingDetector.count());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        int start = context.getStore(NAMESPACE).get("start", Integer.class);
        flushLeakQueue();
        List<String> leaks = LeakRecordingDetector.since(start);
        if (!leaks.isEmpty()) {
            fail(leaks.size() + " leak report(s) while " + context.getRequiredTestClass().getSimpleName()
                    + " ran:\n" + String.join("\n\n", leaks));
        }
    }

    private static void flushLeakQueue() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            UnpooledByteBufAllocator.DEFAULT.directBuffer(1).release();
        }
    }
}
