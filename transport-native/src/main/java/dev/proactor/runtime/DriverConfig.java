package dev.proactor.runtime;

/** Settings for a new driver. Immutable; {@code withXxx} returns a copy. */
public final class DriverConfig {
    /** System property that forces a driver: io_uring, poll or iocp. */
    public static final String DRIVER_PROPERTY = "proactor.driver";

    private final DriverKind kind;
    private final int submissionEntries;
    private final int completionEntries;

    private DriverConfig(DriverKind kind, int submissionEntries, int completionEntries) {
        this.kind = kind;
        this.submissionEntries = submissionEntries;
        this.completionEntries = completionEntries;
    }

    /** Automatic selection (or the {@code proactor.driver} property), 256 SQ entries, 4096 CQ entries. */
    public static DriverConfig defaults() {
        return new DriverConfig(null, 256, 4096);
    }

    /** Forces {@code kind}; null restores automatic selection. */
    public DriverConfig withKind(DriverKind kind) {
        return new DriverConfig(kind, submissionEntries, completionEntries);
    }

    public DriverConfig withSubmissionEntries(int entries) {
        requirePowerOfTwo("submission entries", entries);
        return new DriverConfig(kind, entries, completionEntries);
    }

    public DriverConfig withCompletionEntries(int entries) {
        requirePowerOfTwo("completion entries", entries);
        return new DriverConfig(kind, submissionEntries, entries);
    }

    private static void requirePowerOfTwo(String what, int n) {
        if (n < 1 || n > (1 << 16) || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException(what + " must be a power of two between 1 and 65536: " + n);
        }
    }

    /** The forced kind, or null for automatic selection. */
    public DriverKind kind() {
        return kind;
    }

    public int submissionEntries() {
        return submissionEntries;
    }

    public int completionEntries() {
        return completionEntries;
    }
}
