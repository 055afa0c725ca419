package dev.proactor.runtime;

import dev.proactor.runtime.conformance.AvailableDrivers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;
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
    @EnabledOnOs(OS.WINDOWS)
    void iocpIsChosenOnWindows() {
        assertNull(Drivers.unavailabilityCause(DriverKind.IOCP), () -> "iocp: " + Drivers.unavailabilityCause(DriverKind.IOCP));
        assertEquals(List.of(DriverKind.IOCP), AvailableDrivers.kinds().collect(Collectors.toList()));
        assertEquals(DriverKind.IOCP, Drivers.defaultKind());
        assertTrue(Drivers.describe().startsWith("driver iocp (automatic)"), Drivers.describe());
        try (Driver d = Drivers.open()) {
            assertEquals(DriverKind.IOCP, d.kind());
            assertEquals(0, d.inFlight());
        }
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void forcingIoUringOrPollOnWindowsNamesTheReason() {
        for (DriverKind kind : new DriverKind[] {DriverKind.IO_URING, DriverKind.POLL}) {
            DriverUnavailableException e = assertThrows(DriverUnavailableException.class,
                    () -> Drivers.open(DriverConfig.defaults().withKind(kind)));
            assertEquals(kind, e.kind());
            assertTrue(e.getMessage().startsWith(kind + " driver unavailable: "), e.getMessage());
            assertTrue(e.getMessage().contains("not Linux"), e.getMessage());
            assertSame(Drivers.unavailabilityCause(kind), e, "the probed reason is the one thrown");
            assertTrue(Drivers.describe().contains(kind + " not used: "), Drivers.describe());
        }
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
