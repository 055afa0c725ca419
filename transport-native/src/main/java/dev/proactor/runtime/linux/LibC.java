package dev.proactor.runtime.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library calls the Linux drivers and sockets use, through JNA direct mapping (no interface proxies,
 * no Structures: about 0.3 us a call). Pointers are passed as {@code long} addresses. A call that returns -1
 * leaves its errno in {@link #errno()}.
 */
public final class LibC {
    public static final boolean AVAILABLE;
    public static final Throwable UNAVAILABILITY_CAUSE;

    static {
        Throwable cause = null;
        if (Platform.isLinux()) {
            try {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (Throwable t) {
                cause = t;
            }
        } else {
            cause = new UnsupportedOperationException("not Linux: " + System.getProperty("os.name"));
        }
        AVAILABLE = cause == null;
        UNAVAILABILITY_CAUSE = cause;
    }

    private LibC() {
    }

    /** The errno of the last failed call on this thread. */
    public static int errno() {
        return Native.getLastError();
    }

    // sockets
    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, long sockaddr, int len);

    public static native int listen(int fd, int backlog);

    public static native int connect(int fd, long sockaddr, int len);

    public static native int accept4(int fd, long sockaddr, long lenPtr, int flags);

    public static native int shutdown(int fd, int how);

    public static native int setsockopt(int fd, int level, int name, long value, int len);

    public static native int getsockopt(int fd, int level, int name, long value, long lenPtr);

    public static native int getsockname(int fd, long sockaddr, long lenPtr);

    public static native int getpeername(int fd, long sockaddr, long lenPtr);

    public static native long recv(int fd, long buf, long len, int flags);

    public static native long send(int fd, long buf, long len, int flags);

    public static native long recvmsg(int fd, long msghdr, int flags);

    public static native long sendmsg(int fd, long msghdr, int flags);

    public static native int socketpair(int domain, int type, int protocol, long fds);

    // files and descriptors
    public static native int open(String path, int flags, int mode);

    public static native int close(int fd);

    public static native long read(int fd, long buf, long len);

    public static native long write(int fd, long buf, long len);

    public static native long pread(int fd, long buf, long len, long offset);

    public static native long pwrite(int fd, long buf, long len, long offset);

    public static native long splice(int fdIn, long offInPtr, int fdOut, long offOutPtr, long len, int flags);

    public static native int pipe2(long fds, int flags);

    public static native int fcntl(int fd, int cmd, long arg);

    public static native int dup(int fd);

    // epoll, eventfd, timerfd
    public static native int epoll_create1(int flags);

    public static native int epoll_ctl(int epfd, int op, int fd, long event);

    public static native int epoll_wait(int epfd, long events, int maxEvents, int timeoutMillis);

    public static native int eventfd(int initval, int flags);

    /** poll(2) over {@code nfds} struct pollfd (8 bytes each: int fd, short events, short revents). */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    public static native int timerfd_create(int clockid, int flags);

    public static native int timerfd_settime(int fd, int flags, long newValue, long oldValue);

    // memory
    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);

    /** syscall(2) with six arguments: used for the io_uring calls, which glibc does not wrap. */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    public static native int getpid();
}
