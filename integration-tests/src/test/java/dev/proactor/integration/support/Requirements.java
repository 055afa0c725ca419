package dev.proactor.integration.support;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a suite needs from the machine (a program, a Docker engine, a built jar). On a developer's machine a
 * missing piece skips the test with a message saying how to get it; under CI ({@code CI=true}), where
 * {@code .ci/run} installs everything, it fails the test instead, so nothing is skipped silently there.
 */
public final class Requirements {
    private Requirements() {
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, under CI, fails) the current test unless {@code present}. */
    public static void require(boolean present, String missingMessage) {
        if (present) {
            return;
        }
        if (isCi()) {
            fail("CI=true but " + missingMessage);
        }
        assumeTrue(false, missingMessage);
    }
}
