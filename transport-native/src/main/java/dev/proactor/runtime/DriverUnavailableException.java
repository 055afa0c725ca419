package dev.proactor.runtime;

/** A driver that cannot run here; the message says why and what to do, the cause is the underlying error. */
public final class DriverUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final DriverKind kind;

    public DriverUnavailableException(DriverKind kind, String reason, Throwable cause) {
        super(kind + " driver unavailable: " + reason, cause);
        this.kind = kind;
    }

    public DriverKind kind() {
        return kind;
    }
}
