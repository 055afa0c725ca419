package dev.proactor.compat;

import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.StandardSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's {@code io.netty.channel.unix.tests.SocketTest} (plus epoll's TCP_CORK case) asks the same questions of
 * Netty's own JNI {@code Socket}; these ask them of Proactor's {@link Socket}, which every Proactor channel is
 * built on. Not ported: {@code testRawOpt} (Proactor's socket only has int-valued raw options, checked by
 * {@link #rawIntOption()}) and epoll's {@code testPeerCreds} (domain sockets: not in Proactor yet).
 * The socket has no driver, so this runs in the single-driver columns like the other one-sided tests.
 */
@SingleDriver
public class ProactorSocketTest {
    private Socket socket;

    @BeforeEach
    void open() throws IOException {
        socket = Socket.tcp(false);
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
    }

    @Test
    void keepAlive() throws IOException {
        assertFalse(socket.getOption(StandardSocketOptions.SO_KEEPALIVE));
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        assertTrue(socket.getOption(StandardSocketOptions.SO_KEEPALIVE));
    }

    @Test
    void tcpNoDelay() throws IOException {
        assertFalse(socket.getOption(StandardSocketOptions.TCP_NODELAY));
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY));
    }

    @Test
    void tcpCork() throws IOException {
        assertFalse(socket.getOption(SocketOptions.TCP_CORK));
        socket.setOption(SocketOptions.TCP_CORK, true);
        assertTrue(socket.getOption(SocketOptions.TCP_CORK));
    }

    @Test
    void receiveBufferSize() throws IOException {
        assertTrue(socket.getOption(StandardSocketOptions.SO_RCVBUF) > 0);
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 65535);
        // Linux doubles the requested size to leave room for its bookkeeping.
        assertTrue(socket.getOption(StandardSocketOptions.SO_RCVBUF) >= 65535);
    }

    @Test
    void sendBufferSize() throws IOException {
        assertTrue(socket.getOption(StandardSocketOptions.SO_SNDBUF) > 0);
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 65535);
        assertTrue(socket.getOption(StandardSocketOptions.SO_SNDBUF) >= 65535);
    }

    @Test
    void soLinger() throws IOException {
        assertEquals(-1, socket.getOption(StandardSocketOptions.SO_LINGER));
        socket.setOption(StandardSocketOptions.SO_LINGER, 10);
        assertEquals(10, socket.getOption(StandardSocketOptions.SO_LINGER));
        socket.setOption(StandardSocketOptions.SO_LINGER, -1);
        assertEquals(-1, socket.getOption(StandardSocketOptions.SO_LINGER));
    }

    @Test
    void doubleCloseDoesNotThrow() throws IOException {
        Socket other = Socket.tcp(false);
        other.close();
        other.close();
        assertFalse(other.isOpen());
    }

    @Test
    void trafficClass() throws IOException {
        int iptosThroughput = 0x08;
        socket.setOption(StandardSocketOptions.IP_TOS, iptosThroughput);
        assertEquals(iptosThroughput, socket.getOption(StandardSocketOptions.IP_TOS));
    }

    @Test
    void rawIntOption() throws IOException {
        socket.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        socket.setRawIntOption(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR.optname(), 1);
        assertNotEquals(0, socket.getRawIntOption(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR.optname()));
        assertTrue(socket.getOption(StandardSocketOptions.SO_REUSEADDR));
        socket.setRawIntOption(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR.optname(), 0);
        assertEquals(0, socket.getRawIntOption(SocketOptions.SOL_SOCKET, SocketOptions.SO_REUSEADDR.optname()));
    }
}
