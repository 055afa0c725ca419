package dev.proactor.netty;

import java.util.List;

/** Public access to the leak reports {@link LeakCheck} collects (it lives in transport-netty's test-jar). */
public final class LeakReports {
    private LeakReports() {
    }

    /** Collects garbage, lets Netty's detectors report, and returns (and forgets) every leak reported so far. */
    public static List<String> take() {
        return LeakCheck.takeLeaks();
    }
}
