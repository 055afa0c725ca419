package dev.proactor.runtime;

import dev.proactor.runtime.conformance.AvailableDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Driver selection. The per-driver conformance suite lives in {@code dev.proactor.runtime.conformance}
 * (SocketConformanceTest, LifecycleConformanceTest, FileConformanceTest), each test parameterized over
 * {@link AvailableDrivers#kinds()}, so a driver that becomes available here is covered automatically.
 */
class DriverConformanceTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void pollDriverIsAvailableOnLinux() {
        assertNull(Drivers.unavailabilityCause(DriverKind.POLL), () -> "poll: " + Drivers.unavailabilityCause(DriverKind.POLL));
        assertTrue(AvailableDrivers.kinds().collect(Collectors.toList()).contains(DriverKind.POLL));
        try (Driver d = Drivers.open(DriverConfig.defaults().withKind(DriverKind.POLL))) {
            assertEquals(DriverKind.POLL, d.kind());
            assertEquals(0, d.inFlight());
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void forcingAnUnavailableDriverNamesTheReason() {
        DriverUnavailableException e = assertThrows(DriverUnavailableException.class,
                () -> Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP)));
        assertEquals(DriverKind.IOCP, e.kind());
        assertTrue(e.getMessage().contains("iocp driver unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("not Windows"), e.getMessage());
        assertSame(Drivers.unavailabilityCause(DriverKind.IOCP), e, "the probed reason is the one thrown");
        assertTrue(Drivers.describe().contains("iocp not used: not Windows"), Drivers.describe());
    }

    @Test
    void everyUnavailableDriverHasAReason() {
        for (DriverKind kind : DriverKind.values()) {
            DriverUnavailableException why = Drivers.unavailabilityCause(kind);
            assertEquals(why == null, Drivers.isAvailable(kind), kind.toString());
            if (why != null) {
                assertEquals(kind, why.kind());
                assertTrue(why.getMessage().length() > (kind + " driver unavailable: ").length(), why.getMessage());
            }
        }
    }
}
