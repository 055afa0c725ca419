package dev.proactor.runtime.poll;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;

import java.util.Arrays;

import static dev.proactor.runtime.linux.LinuxConstants.EPOLLET;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLIN;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLOUT;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLPRI;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLRDHUP;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLL_CTL_ADD;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLL_CTL_MOD;

/**
 * Which descriptors are in the epoll set. Each descriptor is added once per lifetime, for every event,
 * edge-triggered. The event's data is a token (generation << 32 | fd): a new lifetime of the same number
 * gets a new generation, so events still queued for an earlier file with that number are recognised and
 * dropped instead of being taken for the new file's readiness.
 */
final class EpollRegistrations {
    static final int INTEREST = EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDHUP | EPOLLET;

    private final int epfd;
    private final NativeBuffer ctlEvent = NativeBuffer.allocate(16);
    private boolean[] registered = new boolean[64];
    private int[] generation = new int[64];

    EpollRegistrations(int epfd) {
        this.epfd = epfd;
    }

    void ensure(int fd) {
        if (fd >= registered.length) {
            int n = Math.max(fd + 1, registered.length * 2);
            registered = Arrays.copyOf(registered, n);
            generation = Arrays.copyOf(generation, n);
        }
    }

    boolean isRegistered(int fd) {
        return fd < registered.length && registered[fd];
    }

    /** Adds {@code fd} to the epoll set unless it is already there: 0, or -errno (EPERM for regular files). */
    int register(int fd) {
        ensure(fd);
        if (registered[fd]) {
            return 0;
        }
        int gen = ++generation[fd];
        if (gen == -1) {
            gen = generation[fd] = 1; // -1 is never a generation, so no token equals the wake token
        }
        ctlEvent.buffer().putInt(EpollEventLayout.EVENTS_OFFSET, INTEREST);
        ctlEvent.buffer().putLong(EpollEventLayout.DATA_OFFSET, token(fd, gen));
        if (LibC.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ctlEvent.address()) != 0) {
            int e = LibC.errno();
            // The same file and number is still in the set (a lifetime we assumed had ended, e.g. a
            // reconnected UDP socket): update its token instead.
            if (e != Errno.EEXIST || LibC.epoll_ctl(epfd, EPOLL_CTL_MOD, fd, ctlEvent.address()) != 0) {
                return -(e == Errno.EEXIST ? LibC.errno() : e);
            }
        }
        registered[fd] = true;
        return 0;
    }

    /** Ends {@code fd}'s lifetime: the next wait on this number adds it again. */
    void forget(int fd) {
        if (fd >= 0 && fd < registered.length) {
            registered[fd] = false;
        }
    }

    static long token(int fd, int gen) {
        return ((long) gen << 32) | (fd & 0xFFFFFFFFL);
    }

    static int fdOf(long token) {
        return (int) token;
    }

    /** Whether an event carrying {@code token} belongs to the current lifetime of its descriptor. */
    boolean isCurrent(long token) {
        int fd = fdOf(token);
        return fd >= 0 && fd < registered.length && registered[fd] && generation[fd] == (int) (token >>> 32);
    }
}
