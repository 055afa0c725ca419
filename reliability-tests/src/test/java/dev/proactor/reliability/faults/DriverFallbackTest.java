package dev.proactor.reliability.faults;

import dev.proactor.netty.Proactor;
import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * io_uring made unavailable in a child JVM: the unchanged program runs on the poll driver, and the reason is
 * logged once for the process (not once per event loop). The same through a real seccomp filter (Docker's
 * profile that blocks io_uring) is integration-tests' SeccompFallbackTest; it is not repeated here.
 */
class DriverFallbackTest {

    @Test
    void uringDisabledByPropertyFallsBackToPollWithTheReasonLoggedOnce() throws Exception {
        assumeTrue(Proactor.isAvailable(DriverKind.POLL), "poll driver unavailable here");
        List<String> out = runChild("-Dproactor.uring.disable=true");
        assertTrue(out.contains("DRIVER=poll"), () -> "expected the poll driver:\n" + String.join("\n", out));
        assertTrue(out.contains("ECHO=ok"), () -> String.join("\n", out));
        List<String> reasons = out.stream().filter(l -> l.contains("io_uring not used: disabled by -Dproactor.uring.disable=true"))
                .collect(Collectors.toList());
        assertEquals(1, reasons.size(), () -> "the reason must be logged exactly once:\n" + String.join("\n", out));
        assertTrue(reasons.get(0).contains("driver poll (automatic)"), reasons.get(0));
    }

    @Test
    void forcedPollDriverSaysSo() throws Exception {
        assumeTrue(Proactor.isAvailable(DriverKind.POLL), "poll driver unavailable here");
        List<String> out = runChild("-Dproactor.driver=poll");
        assertTrue(out.contains("DRIVER=poll") && out.contains("ECHO=ok"), () -> String.join("\n", out));
        List<String> lines = out.stream().filter(l -> l.contains("driver poll (forced by -Dproactor.driver)"))
                .collect(Collectors.toList());
        assertEquals(1, lines.size(), () -> String.join("\n", out));
        assertTrue(lines.get(0).contains("io_uring not used: available, but -Dproactor.driver chose another")
                || lines.get(0).contains("io_uring not used:"), lines.get(0));
    }

    @Test
    void withoutPropertiesTheBestDriverRuns() throws Exception {
        List<String> out = runChild();
        DriverKind expected = Proactor.driverKind();
        assertTrue(out.contains("DRIVER=" + expected) && out.contains("ECHO=ok"), () -> String.join("\n", out));
    }

    private static List<String> runChild(String... jvmArgs) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), List.of(jvmArgs), EchoOnceChild.class)) {
            assertEquals(0, child.waitFor(60, TimeUnit.SECONDS), () -> String.join("\n", child.lines()));
            return child.lines();
        }
    }
}
