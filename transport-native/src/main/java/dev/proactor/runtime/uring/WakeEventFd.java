package dev.proactor.runtime.uring;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The eventfd other threads write to wake the driver; the driver keeps an IORING_OP_READ armed on it. It is
 * blocking on purpose: io_uring then waits for it with its internal poll instead of failing the read with
 * EAGAIN. {@code pending} is set before a write and cleared by the owner when the read completes, so many
 * concurrent wakes cost one write per poll cycle and none is lost.
 */
final class WakeEventFd {
    private final int fd;
    /** Holds the 1 that {@link #signal()} writes; only ever read, so any thread may use it. */
    private final NativeBuffer one = NativeBuffer.allocate(8);
    private final AtomicBoolean pending = new AtomicBoolean();

    private WakeEventFd(int fd) {
        this.fd = fd;
        one.buffer().putLong(0, 1L);
    }

    static WakeEventFd create() {
        int fd = LibC.eventfd(0, LinuxConstants.EFD_CLOEXEC);
        if (fd < 0) {
            throw new UncheckedIOException(ErrnoException.of("eventfd", LibC.errno()));
        }
        return new WakeEventFd(fd);
    }

    int fd() {
        return fd;
    }

    /** Any thread: makes the armed read complete, unless a wake is already pending. */
    void signal() {
        if (pending.compareAndSet(false, true)) {
            LibC.write(fd, one.address(), 8);
        }
    }

    /** Owner: the read completed, so the next {@link #signal()} must write again. */
    void consumed() {
        pending.set(false);
    }

    /**
     * Owner, at close: stops all further writes. Returns true if a write was claimed before, which may still
     * be under way: the descriptor must then stay open until the armed read has seen that write.
     */
    boolean shutdown() {
        return pending.getAndSet(true);
    }

    void close() {
        LibC.close(fd);
    }
}
