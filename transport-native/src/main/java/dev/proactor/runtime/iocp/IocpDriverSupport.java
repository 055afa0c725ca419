package dev.proactor.runtime.iocp;

import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.WinError;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Entry point of the IOCP driver for {@link dev.proactor.runtime.Drivers}: the probe, and opening. */
public final class IocpDriverSupport {
    private static final DriverUnavailableException CAUSE = probe();

    private IocpDriverSupport() {
    }

    /** Null on Windows when kernel32, ws2_32 and the Winsock extensions load and a completion port can be made. */
    public static DriverUnavailableException unavailabilityCause() {
        return CAUSE;
    }

    private static DriverUnavailableException probe() {
        if (!com.sun.jna.Platform.isWindows()) {
            return new DriverUnavailableException(DriverKind.IOCP, "not Windows (" + System.getProperty("os.name") + ")", null);
        }
        if (!Kernel32.AVAILABLE) {
            return new DriverUnavailableException(DriverKind.IOCP, "kernel32 not loadable: " + Kernel32.UNAVAILABILITY_CAUSE,
                    Kernel32.UNAVAILABILITY_CAUSE);
        }
        if (!Ws2_32.AVAILABLE) {
            return new DriverUnavailableException(DriverKind.IOCP, "Winsock not usable: " + Ws2_32.UNAVAILABILITY_CAUSE,
                    Ws2_32.UNAVAILABILITY_CAUSE);
        }
        try {
            WinsockExtensions.get();
        } catch (IOException e) {
            return new DriverUnavailableException(DriverKind.IOCP, "Winsock extensions missing: " + e.getMessage(), e);
        }
        long port = Kernel32.CreateIoCompletionPort(Kernel32.INVALID_HANDLE_VALUE, 0, 0, 1);
        if (port == 0) {
            int e = Kernel32.lastError();
            return new DriverUnavailableException(DriverKind.IOCP, "CreateIoCompletionPort failed with " + WinError.describe(e), null);
        }
        Kernel32.CloseHandle(port);
        return null;
    }

    public static Driver open(DriverConfig config) {
        if (CAUSE != null) {
            throw CAUSE;
        }
        try {
            return IocpDriver.open(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
