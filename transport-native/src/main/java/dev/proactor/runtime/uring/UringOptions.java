package dev.proactor.runtime.uring;

/**
 * System properties that switch io_uring features off, to exercise the fallbacks (or work around a kernel
 * bug). Read when a driver is opened, so tests can flip them between drivers.
 */
final class UringOptions {
    /** {@code -Dproactor.uring.disable=true}: io_uring is reported unavailable. */
    static final String DISABLE = "proactor.uring.disable";
    /** {@code -Dproactor.uring.singleIssuer=false}: no SINGLE_ISSUER|DEFER_TASKRUN (COOP_TASKRUN instead). */
    static final String SINGLE_ISSUER = "proactor.uring.singleIssuer";
    /** {@code -Dproactor.uring.multishotAccept=false}: multishot accept is emulated with single accepts. */
    static final String MULTISHOT_ACCEPT = "proactor.uring.multishotAccept";
    /** {@code -Dproactor.uring.extArg=false}: timed waits use a TIMEOUT SQE instead of IORING_ENTER_EXT_ARG. */
    static final String EXT_ARG = "proactor.uring.extArg";

    private UringOptions() {
    }

    static boolean disabled() {
        return Boolean.getBoolean(DISABLE);
    }

    static boolean singleIssuer() {
        return enabled(SINGLE_ISSUER);
    }

    static boolean multishotAccept() {
        return enabled(MULTISHOT_ACCEPT);
    }

    static boolean extArg() {
        return enabled(EXT_ARG);
    }

    private static boolean enabled(String property) {
        return !"false".equalsIgnoreCase(System.getProperty(property, "true").trim());
    }
}
