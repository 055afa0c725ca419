package dev.proactor.runtime;

import java.util.Locale;

/** The kinds of driver, by the name used in the {@code proactor.driver} system property. */
public enum DriverKind {
    IO_URING("io_uring"),
    POLL("poll"),
    IOCP("iocp");

    private final String propertyName;

    DriverKind(String propertyName) {
        this.propertyName = propertyName;
    }

    public String propertyName() {
        return propertyName;
    }

    public static DriverKind fromPropertyName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (DriverKind k : values()) {
            if (k.propertyName.equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown driver '" + name + "': expected io_uring, poll or iocp");
    }

    @Override
    public String toString() {
        return propertyName;
    }
}
