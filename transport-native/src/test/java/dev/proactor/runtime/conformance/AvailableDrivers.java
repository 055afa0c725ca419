package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;

import java.util.Arrays;
import java.util.stream.Stream;

/** The argument source of every conformance test: each driver kind this host can run. */
public final class AvailableDrivers {
    private AvailableDrivers() {
    }

    public static Stream<DriverKind> kinds() {
        return Arrays.stream(DriverKind.values()).filter(Drivers::isAvailable);
    }
}
