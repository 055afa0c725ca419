package dev.proactor.runtime.uring;

import dev.proactor.runtime.linux.LibC;

/** The three io_uring system calls (glibc does not wrap them). Each returns its result, or -errno on failure. */
final class UringSyscalls {
    private UringSyscalls() {
    }

    /** @return the ring fd, or -errno */
    static int setup(int entries, long params) {
        return result(LibC.syscall(UringConstants.SYS_SETUP, entries, params, 0, 0, 0, 0));
    }

    /** @return submitted count (or 0), or -errno */
    static int enter(int fd, int toSubmit, int minComplete, int flags, long arg, long argSize) {
        return result(LibC.syscall(UringConstants.SYS_ENTER, fd, toSubmit, minComplete, flags, arg, argSize));
    }

    /** @return the opcode's result, or -errno */
    static int register(int fd, int opcode, long arg, int count) {
        return result(LibC.syscall(UringConstants.SYS_REGISTER, fd, opcode, arg, count, 0, 0));
    }

    private static int result(long r) {
        return r < 0 ? -LibC.errno() : (int) r;
    }
}
