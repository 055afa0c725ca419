package dev.proactor.runtime.iocp;

import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;

import java.util.Locale;

/** Entry point of the IOCP driver. Not built yet: see the README's status table. */
public final class IocpDriverSupport {
    private IocpDriverSupport() {
    }

    public static DriverUnavailableException unavailabilityCause() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("windows")) {
            return new DriverUnavailableException(DriverKind.IOCP, "not Windows (" + System.getProperty("os.name") + ")", null);
        }
        return new DriverUnavailableException(DriverKind.IOCP, "the IOCP driver is not implemented yet", null);
    }

    public static Driver open(DriverConfig config) {
        throw unavailabilityCause();
    }
}
