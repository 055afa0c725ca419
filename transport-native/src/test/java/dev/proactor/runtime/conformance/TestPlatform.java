package dev.proactor.runtime.conformance;

import com.sun.jna.Platform;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the tests run: Linux (real kernel) or Windows (under Wine here, where -Dproactor.test.wine=true). */
public final class TestPlatform {
    private TestPlatform() {
    }

    public static boolean isWindows() {
        return Platform.isWindows();
    }

    public static boolean isLinux() {
        return Platform.isLinux();
    }

    /** The Windows JVM of ../shared/wine/setup.sh (set by the Maven profile that runs it). */
    public static boolean underWine() {
        return Boolean.getBoolean("proactor.test.wine");
    }

    /** Skips a test that needs Linux (pipes from pipe2, splice, unix sockets, descriptor numbers). */
    public static void assumeLinux(String what) {
        assumeTrue(isLinux(), () -> what + " is Linux-only");
    }
}
