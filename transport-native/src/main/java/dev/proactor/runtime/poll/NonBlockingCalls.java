package dev.proactor.runtime.poll;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.net.SocketOptions;

import java.nio.ByteBuffer;

import static dev.proactor.runtime.linux.LinuxConstants.EPOLLOUT;
import static dev.proactor.runtime.linux.LinuxConstants.MSG_DONTWAIT;
import static dev.proactor.runtime.linux.LinuxConstants.MSG_NOSIGNAL;
import static dev.proactor.runtime.linux.LinuxConstants.POLLERR;
import static dev.proactor.runtime.linux.LinuxConstants.POLLHUP;
import static dev.proactor.runtime.linux.LinuxConstants.POLLIN;
import static dev.proactor.runtime.linux.LinuxConstants.POLLNVAL;
import static dev.proactor.runtime.linux.LinuxConstants.POLLOUT;
import static dev.proactor.runtime.linux.LinuxConstants.SOCK_CLOEXEC;
import static dev.proactor.runtime.linux.LinuxConstants.SOCK_NONBLOCK;
import static dev.proactor.runtime.linux.LinuxConstants.SPLICE_F_NONBLOCK;

/**
 * The non-blocking system call behind each operation, made from the owning thread: returns the result or
 * -errno (-EAGAIN, or -EINPROGRESS for a connect, meaning "wait for readiness"). EINTR is retried.
 *
 * <p>The kernel structures the poll driver builds itself (the SENDV msghdr, splice offsets, pollfds, the
 * SO_ERROR value) live in one scratch area: unlike io_uring, the kernel reads them only during the call,
 * so nothing needs to stay valid between attempts and one area serves every operation.
 */
final class NonBlockingCalls {
    private static final int MSGHDR = 0; // 56 bytes: name, namelen, iov, iovlen, control, controllen, flags
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int POLLFDS = 64; // two struct pollfd
    private static final int OPT_VALUE = 80;
    private static final int OPT_LEN = 84;
    private static final int OFF_IN = 88;
    private static final int OFF_OUT = 96;

    private final NativeBuffer scratch = NativeBuffer.allocate(128);
    private final long base = scratch.address();
    private final ByteBuffer mem = scratch.buffer();

    /** Tries {@code op} once (NOP, TIMEOUT and CLOSE are not made here). */
    int attempt(Op op) {
        if (op.length() < 0) {
            return -Errno.EINVAL; // a byte count, iovec count or sockaddr length is never negative
        }
        for (;;) {
            long r = call(op);
            if (r >= 0) {
                return (int) Math.min(r, Integer.MAX_VALUE);
            }
            int e = LibC.errno();
            if (e != Errno.EINTR) {
                return -e;
            }
        }
    }

    private long call(Op op) {
        int fd = op.fd();
        switch (op.code()) {
            case ACCEPT:
                return LibC.accept4(fd, op.address(), op.address2(), SOCK_NONBLOCK | SOCK_CLOEXEC);
            case CONNECT:
                return LibC.connect(fd, op.address(), op.length());
            case RECV:
                return LibC.recv(fd, op.address(), op.length(), op.flags() | MSG_DONTWAIT);
            case SEND:
                return LibC.send(fd, op.address(), op.length(), op.flags() | MSG_DONTWAIT | MSG_NOSIGNAL);
            case SENDV:
                mem.putLong(MSGHDR, 0).putLong(MSGHDR + 8, 0)
                        .putLong(MSGHDR + MSG_IOV, op.address()).putLong(MSGHDR + MSG_IOVLEN, op.length())
                        .putLong(MSGHDR + 32, 0).putLong(MSGHDR + 40, 0).putLong(MSGHDR + 48, 0);
                return LibC.sendmsg(fd, base + MSGHDR, op.flags() | MSG_DONTWAIT | MSG_NOSIGNAL);
            case RECVMSG:
                return LibC.recvmsg(fd, op.address(), op.flags() | MSG_DONTWAIT);
            case SENDMSG:
                return LibC.sendmsg(fd, op.address(), op.flags() | MSG_DONTWAIT | MSG_NOSIGNAL);
            case SHUTDOWN:
                return LibC.shutdown(fd, op.flags());
            case READ:
                return readOrWrite(op, false);
            case WRITE:
                return readOrWrite(op, true);
            case SPLICE:
                return splice(op);
            default:
                throw new IllegalArgumentException("not a system call: " + op);
        }
    }

    private static long readOrWrite(Op op, boolean write) {
        int fd = op.fd();
        if (op.offset() != Op.NO_OFFSET) {
            long r = write ? LibC.pwrite(fd, op.address(), op.length(), op.offset())
                    : LibC.pread(fd, op.address(), op.length(), op.offset());
            // io_uring ignores the offset of a stream (pipe, socket); pread/pwrite refuse it.
            if (r >= 0 || LibC.errno() != Errno.ESPIPE) {
                return r;
            }
        }
        return write ? LibC.write(fd, op.address(), op.length()) : LibC.read(fd, op.address(), op.length());
    }

    private long splice(Op op) {
        long offIn = 0;
        long offOut = 0;
        if (op.offset() != Op.NO_OFFSET) {
            mem.putLong(OFF_IN, op.offset());
            offIn = base + OFF_IN;
        }
        if (op.offset2() != Op.NO_OFFSET) {
            mem.putLong(OFF_OUT, op.offset2());
            offOut = base + OFF_OUT;
        }
        return LibC.splice(op.fd(), offIn, op.fd2(), offOut, op.length(), op.flags() | SPLICE_F_NONBLOCK);
    }

    /**
     * A connect that returned EINPROGRESS, after write readiness: 0 once connected, -errno if it failed,
     * -EAGAIN if still in progress.
     */
    int connectResult(int fd, int events) {
        mem.putInt(OPT_VALUE, 0).putInt(OPT_LEN, 4);
        if (LibC.getsockopt(fd, SocketOptions.SOL_SOCKET, SocketOptions.SO_ERROR.optname(), base + OPT_VALUE, base + OPT_LEN) != 0) {
            return -LibC.errno();
        }
        int err = mem.getInt(OPT_VALUE);
        if (err != 0) {
            return -err;
        }
        return (events & EPOLLOUT) != 0 ? 0 : -Errno.EAGAIN;
    }

    /** poll(2) without waiting: the ready events among {@code events} (plus POLLERR/POLLHUP), or -EBADF. */
    int readyNow(int fd, int events) {
        mem.putInt(POLLFDS, fd).putShort(POLLFDS + 4, (short) events).putShort(POLLFDS + 6, (short) 0);
        int n;
        do {
            n = LibC.poll(base + POLLFDS, 1, 0);
        } while (n < 0 && LibC.errno() == Errno.EINTR);
        if (n < 0) {
            return -LibC.errno();
        }
        int revents = mem.getShort(POLLFDS + 6) & 0xFFFF;
        return (revents & POLLNVAL) != 0 ? -Errno.EBADF : revents;
    }

    /** After a splice's EAGAIN: 0 if its input has nothing to read, 1 if its output has no room, -1 if both are ready. */
    int spliceBlockedEnd(Op op) {
        mem.putInt(POLLFDS, op.fd()).putShort(POLLFDS + 4, (short) POLLIN).putShort(POLLFDS + 6, (short) 0);
        mem.putInt(POLLFDS + 8, op.fd2()).putShort(POLLFDS + 12, (short) POLLOUT).putShort(POLLFDS + 14, (short) 0);
        int n;
        do {
            n = LibC.poll(base + POLLFDS, 2, 0);
        } while (n < 0 && LibC.errno() == Errno.EINTR);
        int in = mem.getShort(POLLFDS + 6) & 0xFFFF;
        int out = mem.getShort(POLLFDS + 14) & 0xFFFF;
        if ((in & (POLLIN | POLLHUP | POLLERR)) == 0) {
            return 0;
        }
        return (out & (POLLOUT | POLLHUP | POLLERR)) == 0 ? 1 : -1;
    }
}
