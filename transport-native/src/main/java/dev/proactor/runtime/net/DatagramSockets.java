package dev.proactor.runtime.net;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.IOException;

/** Calls on datagram sockets that {@link Socket} has no use for otherwise (Linux). */
public final class DatagramSockets {
    private DatagramSockets() {
    }

    /**
     * Dissolves a datagram socket's association with its peer: connect(2) to an AF_UNSPEC address. Never blocks,
     * so it is made directly rather than as an op.
     */
    public static void disconnect(Socket socket) throws IOException {
        NativeBuffer unspec = NativeBuffer.allocate(16);
        unspec.buffer().putShort(0, (short) LinuxConstants.AF_UNSPEC);
        if (LibC.connect(socket.requireFd(), unspec.address(), 16) != 0) {
            throw ErrnoException.of("disconnect", LibC.errno());
        }
    }
}
