package dev.proactor.runtime;

import dev.proactor.runtime.poll.PollDriver;
import dev.proactor.runtime.uring.UringDriver;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Chooses and opens drivers. Each kind is probed once per process; a kind that cannot run keeps the reason
 * (EPERM from a seccomp filter, {@code kernel.io_uring_disabled}, ENOSYS, missing opcodes, not this OS ...).
 * Automatic order: IOCP on Windows; io_uring, then poll, elsewhere. {@code -Dproactor.driver=...} forces one.
 */
public final class Drivers {
    private static final System.Logger LOG = System.getLogger(Drivers.class.getName());
    private static final Map<DriverKind, DriverUnavailableException> UNAVAILABLE;
    private static final DriverKind DEFAULT_KIND;
    private static final DriverUnavailableException DEFAULT_FAILURE;

    static {
        Map<DriverKind, DriverUnavailableException> reasons = new EnumMap<>(DriverKind.class);
        for (DriverKind kind : DriverKind.values()) {
            DriverUnavailableException why = probe(kind);
            if (why != null) {
                reasons.put(kind, why);
            }
        }
        UNAVAILABLE = Collections.unmodifiableMap(reasons);
        DriverKind chosen = null;
        DriverUnavailableException failure = null;
        String forced = System.getProperty(DriverConfig.DRIVER_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            try {
                chosen = DriverKind.fromPropertyName(forced);
                failure = UNAVAILABLE.get(chosen);
            } catch (IllegalArgumentException e) {
                failure = new DriverUnavailableException(DriverKind.POLL, e.getMessage(), e);
            }
        } else {
            for (DriverKind kind : new DriverKind[] {DriverKind.IOCP, DriverKind.IO_URING, DriverKind.POLL}) {
                if (!UNAVAILABLE.containsKey(kind)) {
                    chosen = kind;
                    break;
                }
            }
            if (chosen == null) {
                failure = new DriverUnavailableException(DriverKind.POLL, "no driver can run here: " + UNAVAILABLE, null);
            }
        }
        DEFAULT_KIND = failure == null ? chosen : null;
        DEFAULT_FAILURE = failure;
        LOG.log(System.Logger.Level.INFO, describe());
    }

    private Drivers() {
    }

    private static DriverUnavailableException probe(DriverKind kind) {
        try {
            switch (kind) {
                case IO_URING:
                    return UringDriver.unavailabilityCause();
                case POLL:
                    return PollDriver.unavailabilityCause();
                case IOCP:
                    return dev.proactor.runtime.iocp.IocpDriverSupport.unavailabilityCause();
                default:
                    throw new AssertionError(kind);
            }
        } catch (Throwable t) {
            return new DriverUnavailableException(kind, "probe failed: " + t, t);
        }
    }

    /** The kind {@link #open()} uses, after the property and probing. */
    public static DriverKind defaultKind() {
        if (DEFAULT_FAILURE != null) {
            throw DEFAULT_FAILURE;
        }
        return DEFAULT_KIND;
    }

    public static boolean isAvailable(DriverKind kind) {
        return !UNAVAILABLE.containsKey(kind);
    }

    /** Why {@code kind} cannot run here, or null if it can. */
    public static DriverUnavailableException unavailabilityCause(DriverKind kind) {
        return UNAVAILABLE.get(kind);
    }

    /** Every kind that cannot run here, with its reason. */
    public static Map<DriverKind, DriverUnavailableException> unavailable() {
        return UNAVAILABLE;
    }

    /** One line: the driver chosen and why each other one was not. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        boolean forced = isForced();
        if (DEFAULT_FAILURE != null) {
            sb.append("no driver: ").append(DEFAULT_FAILURE.getMessage());
        } else {
            sb.append("driver ").append(DEFAULT_KIND)
                    .append(forced ? " (forced by -D" + DriverConfig.DRIVER_PROPERTY + ")" : " (automatic)");
        }
        for (DriverKind kind : DriverKind.values()) {
            if (kind == DEFAULT_KIND) {
                continue;
            }
            DriverUnavailableException why = UNAVAILABLE.get(kind);
            sb.append("; ").append(kind).append(" not used: ");
            if (why != null) {
                sb.append(reason(why));
            } else if (forced) {
                sb.append("available, but -D").append(DriverConfig.DRIVER_PROPERTY).append(" chose another");
            } else {
                sb.append("available, lower in the automatic order (iocp, io_uring, poll)");
            }
        }
        return sb.toString();
    }

    private static boolean isForced() {
        String forced = System.getProperty(DriverConfig.DRIVER_PROPERTY);
        return forced != null && !forced.isBlank();
    }

    private static String reason(DriverUnavailableException e) {
        String m = e.getMessage();
        String prefix = e.kind() + " driver unavailable: ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    /** Opens the default driver for the calling thread. */
    public static Driver open() {
        return open(DriverConfig.defaults());
    }

    /** Opens a driver of the config's kind (or the default kind) for the calling thread. */
    public static Driver open(DriverConfig config) {
        DriverKind kind = config.kind() != null ? config.kind() : defaultKind();
        DriverUnavailableException why = UNAVAILABLE.get(kind);
        if (why != null) {
            throw why;
        }
        switch (kind) {
            case IO_URING:
                return UringDriver.open(config);
            case POLL:
                return PollDriver.open(config);
            default:
                return dev.proactor.runtime.iocp.IocpDriverSupport.open(config);
        }
    }
}
