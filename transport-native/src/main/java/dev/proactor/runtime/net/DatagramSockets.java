package dev.proactor.runtime.net;

import java.io.IOException;

/** Calls on datagram sockets that {@link Socket} has no use for otherwise. */
public final class DatagramSockets {
    private DatagramSockets() {
    }

    /**
     * Dissolves a datagram socket's association with its peer (Linux: connect to AF_UNSPEC; Windows: connect to
     * the all-zero address). Never blocks, so it is made directly rather than as an op.
     */
    public static void disconnect(Socket socket) throws IOException {
        SocketCalls.CURRENT.disconnect(socket.requireFd(), socket.family());
    }
}
