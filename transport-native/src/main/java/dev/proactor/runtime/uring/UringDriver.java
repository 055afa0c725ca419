package dev.proactor.runtime.uring;

import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;

/** PLACEHOLDER: the io_uring driver. */
public final class UringDriver {
    private UringDriver() {
    }

    public static DriverUnavailableException unavailabilityCause() {
        return new DriverUnavailableException(DriverKind.IO_URING, "not implemented yet", null);
    }

    public static Driver open(DriverConfig config) {
        throw unavailabilityCause();
    }
}
