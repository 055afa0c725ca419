package dev.proactor.runtime.net;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.IOException;
import java.nio.ByteBuffer;

/** {@link SocketCalls} through libc. */
final class LinuxSocketCalls implements SocketCalls {
    private static final ThreadLocal<NativeBuffer> SCRATCH = ThreadLocal.withInitial(() -> NativeBuffer.allocate(16));

    @Override
    public int afInet6() {
        return LinuxConstants.AF_INET6;
    }

    @Override
    public int open(int family, int type) throws IOException {
        int fd = LibC.socket(family, type | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw ErrnoException.of("socket", LibC.errno());
        }
        return fd;
    }

    @Override
    public boolean canOpen(int family) {
        int fd = LibC.socket(family, LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            LibC.close(fd);
        }
        return fd >= 0;
    }

    @Override
    public void bind(int fd, long sockaddr, int length, Object addressForMessage) throws IOException {
        if (LibC.bind(fd, sockaddr, length) != 0) {
            throw ErrnoException.of("bind(" + addressForMessage + ")", LibC.errno());
        }
    }

    @Override
    public void listen(int fd, int backlog) throws IOException {
        if (LibC.listen(fd, backlog) != 0) {
            throw ErrnoException.of("listen", LibC.errno());
        }
    }

    @Override
    public int address(int fd, boolean local, long sockaddr, long lengthPtr) throws IOException {
        int r = local ? LibC.getsockname(fd, sockaddr, lengthPtr) : LibC.getpeername(fd, sockaddr, lengthPtr);
        if (r != 0) {
            int e = LibC.errno();
            if (!local && e == Errno.ENOTCONN) {
                return -1;
            }
            throw ErrnoException.of(local ? "getsockname" : "getpeername", e);
        }
        return 0;
    }

    @Override
    public void setOption(int fd, NativeSocketOption<?> o, int value) throws IOException {
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        int len = 4;
        if (o.kind == NativeSocketOption.Kind.LINGER) {
            b.putInt(0, value >= 0 ? 1 : 0);
            b.putInt(4, Math.max(value, 0));
            len = 8;
        } else {
            b.putInt(0, value);
        }
        if (LibC.setsockopt(fd, o.level, o.optname, s.address(), len) != 0) {
            throw ErrnoException.of("setsockopt(" + o.name() + ", " + value + ")", LibC.errno());
        }
    }

    @Override
    public int getOption(int fd, NativeSocketOption<?> o) throws IOException {
        NativeBuffer s = SCRATCH.get();
        ByteBuffer b = s.buffer();
        b.putLong(0, 0);
        b.putInt(8, o.kind == NativeSocketOption.Kind.LINGER ? 8 : 4);
        if (LibC.getsockopt(fd, o.level, o.optname, s.address(), s.address() + 8) != 0) {
            throw ErrnoException.of("getsockopt(" + o.name() + ")", LibC.errno());
        }
        if (o.kind == NativeSocketOption.Kind.LINGER) {
            return b.getInt(0) != 0 ? b.getInt(4) : -1;
        }
        return b.getInt(0);
    }

    @Override
    public void setRawIntOption(int fd, int level, int optname, int value) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, value);
        if (LibC.setsockopt(fd, level, optname, s.address(), 4) != 0) {
            throw ErrnoException.of("setsockopt(level " + level + ", option " + optname + ")", LibC.errno());
        }
    }

    @Override
    public int getRawIntOption(int fd, int level, int optname) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, 0);
        s.buffer().putInt(8, 4);
        if (LibC.getsockopt(fd, level, optname, s.address(), s.address() + 8) != 0) {
            throw ErrnoException.of("getsockopt(level " + level + ", option " + optname + ")", LibC.errno());
        }
        return s.buffer().getInt(0);
    }

    @Override
    public void setRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException {
        if (LibC.setsockopt(fd, level, optname, value, length) != 0) {
            throw ErrnoException.of(what, LibC.errno());
        }
    }

    @Override
    public int getRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException {
        NativeBuffer s = SCRATCH.get();
        s.buffer().putInt(0, length);
        if (LibC.getsockopt(fd, level, optname, value, s.address()) != 0) {
            throw ErrnoException.of(what, LibC.errno());
        }
        return s.buffer().getInt(0);
    }

    /** connect(2) to an AF_UNSPEC address. */
    @Override
    public void disconnect(int fd, int family) throws IOException {
        NativeBuffer unspec = NativeBuffer.allocate(16);
        unspec.buffer().putShort(0, (short) LinuxConstants.AF_UNSPEC);
        if (LibC.connect(fd, unspec.address(), 16) != 0) {
            throw ErrnoException.of("disconnect", LibC.errno());
        }
    }

    @Override
    public void shutdown(int fd, int how) throws IOException {
        if (LibC.shutdown(fd, how) != 0) {
            int e = LibC.errno();
            if (e != Errno.ENOTCONN) {
                throw ErrnoException.of("shutdown", e);
            }
        }
    }

    @Override
    public void close(int fd) throws IOException {
        if (LibC.close(fd) != 0) {
            int e = LibC.errno();
            if (e != Errno.EINTR) {
                throw ErrnoException.of("close", e);
            }
        }
    }
}
