package dev.proactor.runtime.poll;

import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;

/** PLACEHOLDER: the epoll-based driver. */
public final class PollDriver {
    private PollDriver() {
    }

    public static DriverUnavailableException unavailabilityCause() {
        return new DriverUnavailableException(DriverKind.POLL, "not implemented yet", null);
    }

    public static Driver open(DriverConfig config) {
        throw unavailabilityCause();
    }
}
