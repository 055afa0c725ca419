package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Drivers;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the Proactor transport can run here, in the style of Netty's {@code Epoll} and {@code IoUring}
 * classes: {@link #isAvailable()}, {@link #ensureAvailability()}, {@link #unavailabilityCause()}, plus which
 * driver is used by default and why the others were not ({@link #describe()}).
 */
public final class Proactor {
    private static final Throwable UNAVAILABILITY_CAUSE;
    private static final DriverKind DEFAULT_KIND;
    private static final String DESCRIPTION;

    static {
        Throwable cause = null;
        DriverKind kind = null;
        String description;
        try {
            kind = Drivers.defaultKind();
            description = Drivers.describe();
        } catch (DriverUnavailableException e) {
            cause = e;
            description = safeDescribe(e);
        } catch (Throwable t) {
            // JNA missing, not Linux, a native library that cannot load ...
            cause = t;
            description = "no driver: the runtime could not start: " + t;
        }
        UNAVAILABILITY_CAUSE = cause;
        DEFAULT_KIND = kind;
        DESCRIPTION = description;
    }

    private Proactor() {
    }

    private static String safeDescribe(Throwable fallback) {
        try {
            return Drivers.describe();
        } catch (Throwable t) {
            return "no driver: " + fallback.getMessage();
        }
    }

    /** True if a driver can run here (the default one, after the {@code proactor.driver} property). */
    public static boolean isAvailable() {
        return UNAVAILABILITY_CAUSE == null;
    }

    /** True if {@code kind} can run here, whatever the default is. */
    public static boolean isAvailable(DriverKind kind) {
        return unavailabilityCause(kind) == null;
    }

    /**
     * Throws if the transport cannot run here: an {@link UnsatisfiedLinkError} (as Netty's native transports do)
     * whose cause says why.
     */
    public static void ensureAvailability() {
        if (UNAVAILABILITY_CAUSE != null) {
            throw (Error) new UnsatisfiedLinkError("Proactor transport unavailable: " + UNAVAILABILITY_CAUSE.getMessage())
                    .initCause(UNAVAILABILITY_CAUSE);
        }
    }

    /** Why the transport cannot run here, or null. */
    public static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    /** Why {@code kind} cannot run here, or null if it can. */
    public static Throwable unavailabilityCause(DriverKind kind) {
        try {
            return Drivers.unavailabilityCause(kind);
        } catch (Throwable t) {
            return t;
        }
    }

    /** The driver event loops use unless their {@link ProactorIoHandlerConfig} forces one; null if none can run. */
    public static DriverKind driverKind() {
        return DEFAULT_KIND;
    }

    /**
     * The driver counters of every event loop of {@code group}, in the group's order (see
     * {@link ProactorIoHandler#stats()}); any thread. Sum them with {@link DriverStats#plus}, or subtract two
     * readings with {@link DriverStats#minus} for an interval.
     *
     * @throws IllegalArgumentException if a loop of the group does not run a {@link ProactorIoHandler}
     */
    public static List<DriverStats> stats(EventLoopGroup group) {
        List<DriverStats> out = new ArrayList<>();
        for (EventExecutor loop : group) {
            ProactorIoHandler handler = ProactorLoopRegistry.handlerOf(loop);
            if (handler == null) {
                throw new IllegalArgumentException(loop + " is not a Proactor event loop");
            }
            out.add(handler.stats());
        }
        return out;
    }

    /** One line: the driver chosen and why each other one was not (seccomp EPERM, io_uring_disabled, ...). */
    public static String describe() {
        return DESCRIPTION;
    }
}
