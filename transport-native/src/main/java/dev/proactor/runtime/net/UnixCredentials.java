package dev.proactor.runtime.net;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The credentials of a Unix domain socket's peer, as the kernel recorded them at connect (SO_PEERCRED, Linux). */
public final class UnixCredentials {
    private static final int SO_PEERCRED = 17;
    /** struct ucred: pid_t pid, uid_t uid, gid_t gid. */
    private static final int UCRED_SIZE = 12;

    private final int pid;
    private final int uid;
    private final int gid;

    private UnixCredentials(int pid, int uid, int gid) {
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
    }

    public static UnixCredentials of(Socket socket) throws IOException {
        NativeBuffer v = NativeBuffer.allocate(UCRED_SIZE + 4);
        ByteBuffer b = v.buffer();
        b.putInt(UCRED_SIZE, UCRED_SIZE);
        if (LibC.getsockopt(socket.requireFd(), SocketOptions.SOL_SOCKET, SO_PEERCRED, v.address(), v.address() + UCRED_SIZE) != 0) {
            throw ErrnoException.of("getsockopt(SO_PEERCRED)", LibC.errno());
        }
        return new UnixCredentials(b.getInt(0), b.getInt(4), b.getInt(8));
    }

    public int pid() {
        return pid;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    @Override
    public String toString() {
        return "UnixCredentials[pid=" + pid + ", uid=" + uid + ", gid=" + gid + "]";
    }
}
