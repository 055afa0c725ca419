package dev.proactor.runtime.uring;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides once per process whether io_uring can run here: creates a small ring, enters it, probes the
 * opcodes, and turns a failure into a message that names the errno and the likely reason.
 */
final class UringProbe {
    private static final Path IO_URING_DISABLED = Path.of("/proc/sys/kernel/io_uring_disabled");

    private UringProbe() {
    }

    /** Null if io_uring is usable, else why not. The property is read on every call; the probe runs once. */
    static DriverUnavailableException unavailabilityCause() {
        if (UringOptions.disabled()) {
            return unavailable("disabled by -D" + UringOptions.DISABLE + "=true", null);
        }
        if (!LibC.AVAILABLE) {
            return unavailable("no C library: " + LibC.UNAVAILABILITY_CAUSE, LibC.UNAVAILABILITY_CAUSE);
        }
        return Result.CAUSE;
    }

    /** The probed features; only valid when {@link #unavailabilityCause()} is null. */
    static UringFeatures features() {
        return Result.FEATURES;
    }

    private static final class Result {
        static final UringFeatures FEATURES;
        static final DriverUnavailableException CAUSE;

        static {
            UringFeatures features = null;
            DriverUnavailableException cause;
            try {
                features = probe();
                List<String> missing = features.missing(UringConstants.REQUIRED_OPS);
                cause = missing.isEmpty() ? null
                        : unavailable("the kernel (" + kernel() + ") lacks " + String.join(", ", missing)
                                + "; Linux 5.11 or newer is needed", null);
            } catch (DriverUnavailableException e) {
                cause = e;
            } catch (Throwable t) {
                cause = unavailable("probe failed: " + t, t);
            }
            FEATURES = features;
            CAUSE = cause;
        }
    }

    private static UringFeatures probe() {
        NativeBuffer params = NativeBuffer.allocate(UringConstants.Params.SIZE);
        int fd = UringSyscalls.setup(2, params.address());
        if (fd < 0) {
            throw setupFailure(-fd);
        }
        try {
            int r = UringSyscalls.enter(fd, 0, 0, 0, 0, 0);
            if (r < 0) {
                throw unavailable("io_uring_enter: " + Errno.name(-r) + " (" + Errno.description(-r) + ")"
                        + (-r == Errno.EPERM ? ": blocked by a seccomp filter" : ""), ErrnoException.of("io_uring_enter", -r));
            }
            NativeBuffer probe = NativeBuffer.allocate(UringConstants.PROBE_HEADER
                    + UringConstants.PROBE_OPS * UringConstants.PROBE_OP_SIZE);
            r = UringSyscalls.register(fd, UringConstants.REGISTER_PROBE, probe.address(), UringConstants.PROBE_OPS);
            if (r < 0) {
                throw unavailable("IORING_REGISTER_PROBE: " + Errno.name(-r) + " (kernel " + kernel()
                        + " is older than 5.6; Linux 5.11 or newer is needed)", ErrnoException.of("io_uring_register", -r));
            }
            return UringFeatures.fromProbe(params.buffer().getInt(UringConstants.Params.FEATURES), probe);
        } finally {
            LibC.close(fd);
        }
    }

    /** The exception for a failed io_uring_setup: names the errno and what usually causes it. */
    static DriverUnavailableException setupFailure(int errno) {
        String reason;
        switch (errno) {
            case Errno.EPERM:
                reason = permissionReason();
                break;
            case Errno.ENOSYS:
                reason = "the kernel (" + kernel() + ") has no io_uring: older than 5.1, or built without CONFIG_IO_URING";
                break;
            case Errno.ENOMEM:
                reason = "not enough locked memory for the ring: raise ulimit -l (kernels before 5.12 charge io_uring"
                        + " rings to RLIMIT_MEMLOCK; this is " + kernel() + ")";
                break;
            case Errno.EINVAL:
                reason = "the kernel (" + kernel() + ") rejected the ring parameters";
                break;
            default:
                reason = Errno.description(errno);
                break;
        }
        return unavailable("io_uring_setup failed with " + Errno.name(errno) + ": " + reason,
                ErrnoException.of("io_uring_setup", errno));
    }

    private static String permissionReason() {
        String disabled = readIoUringDisabled();
        if ("2".equals(disabled)) {
            return "io_uring is disabled for all processes (sysctl kernel.io_uring_disabled=2)";
        }
        if ("1".equals(disabled)) {
            return "io_uring is limited to members of kernel.io_uring_group (sysctl kernel.io_uring_disabled=1)";
        }
        return "blocked by a seccomp filter (Docker's and Podman's default profiles block io_uring)"
                + (disabled != null ? "; kernel.io_uring_disabled=" + disabled : "");
    }

    private static String readIoUringDisabled() {
        try {
            return Files.readString(IO_URING_DISABLED).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String kernel() {
        return "Linux " + System.getProperty("os.version");
    }

    private static DriverUnavailableException unavailable(String reason, Throwable cause) {
        return new DriverUnavailableException(DriverKind.IO_URING, reason, cause);
    }
}
