package dev.proactor.compat;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shuts down the permutation's event loop groups after every test class (registered for all classes through
 * META-INF/services, before the leak check so that it runs first: after-all callbacks run in reverse order).
 * A group that does not terminate is reported on stderr rather than failed: the usual cause is a handler of a
 * failed test still blocking its event loop, and that test has already failed.
 */
public class EventLoopGroupsPerClass implements AfterAllCallback {
    private static final long SHUTDOWN_SECONDS = 10;

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        List<String> stuck = ProactorSocketTestPermutation.INSTANCE.closeGroups(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        if (!stuck.isEmpty()) {
            System.err.println("WARNING: after " + context.getRequiredTestClass().getSimpleName() + ", event loop groups "
                    + stuck + " did not terminate within " + SHUTDOWN_SECONDS + " s");
        }
    }
}
