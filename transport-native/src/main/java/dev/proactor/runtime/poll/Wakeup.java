package dev.proactor.runtime.poll;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes a driver blocked in epoll_wait: a non-blocking eventfd in the epoll set. A gate makes concurrent
 * wakes cost one write per poll cycle: the first wake after the driver's {@link #takeRequest()} writes, the
 * others see the gate closed. A wake from the owning thread only sets the gate (the owner is not blocked).
 */
final class Wakeup {
    private final Thread owner;
    private final int fd;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final NativeBuffer one = NativeBuffer.allocate(8);
    private final NativeBuffer drained = NativeBuffer.allocate(8);
    private final Object fdLock = new Object();
    private boolean closed;

    Wakeup(Thread owner) {
        this.owner = owner;
        this.fd = LibC.eventfd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        if (fd < 0) {
            throw new UncheckedIOException(ErrnoException.of("eventfd", LibC.errno()));
        }
        one.buffer().putLong(0, 1L);
    }

    int fd() {
        return fd;
    }

    void wake() {
        if (Thread.currentThread() == owner) {
            requested.set(true);
            return;
        }
        if (!requested.getAndSet(true)) {
            // The lock keeps a late wake from writing into a descriptor number close() has given back.
            synchronized (fdLock) {
                if (!closed) {
                    LibC.write(fd, one.address(), 8); // EAGAIN (counter full) still leaves it readable
                }
            }
        }
    }

    /**
     * Opens the gate for the next cycle; returns whether a wake was requested since the last call, in which
     * case the caller must not block. A wake after this call writes the eventfd, so it is never lost.
     */
    boolean takeRequest() {
        return requested.getAndSet(false);
    }

    /** Resets the eventfd's counter after epoll reported it readable. */
    void drain() {
        LibC.read(fd, drained.address(), 8);
    }

    void close() {
        synchronized (fdLock) {
            if (!closed) {
                closed = true;
                LibC.close(fd);
            }
        }
    }
}
