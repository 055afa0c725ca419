package dev.proactor.runtime.conformance;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** TCP over 127.0.0.1 through a driver: listeners, connects, accepts, and send/receive loops. */
public final class Loopback {
    private Loopback() {
    }

    /** An encoded socket address that stays valid as long as this object is reachable. */
    public record SockAddr(NativeBuffer memory, int length) {
        public long address() {
            return memory.address();
        }
    }

    /** A connected pair on one loop: {@code client} connected by the driver, {@code server} accepted by it. */
    public record Pair(Socket client, Socket server) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    public static Socket listener(int backlog) {
        try {
            Socket s = Socket.tcp(false);
            s.setOption(SocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            s.listen(backlog);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InetSocketAddress addressOf(Socket s) {
        try {
            return (InetSocketAddress) s.localAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SockAddr encode(Socket forSocket, InetSocketAddress address) {
        NativeBuffer b = NativeBuffer.allocate(128);
        int len = forSocket.encode(address, b.buffer(), 0);
        return new SockAddr(b, len);
    }

    public static Socket newTcp() {
        try {
            return Socket.tcp(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects a new socket through the driver; fails the test unless connect completes with 0. */
    public static Socket connect(DriverLoop loop, InetSocketAddress to) {
        Socket s = newTcp();
        SockAddr a = encode(s, to);
        int r = loop.call(new Op().prepareConnect(s.fd(), a.address(), a.length()));
        assertEquals(0, r, () -> "connect to " + to + ": " + Errno.name(r));
        return s;
    }

    /** Accepts one connection through the driver. */
    public static Socket accept(DriverLoop loop, Socket listener) {
        int fd = loop.callOk(new Op().prepareAccept(listener.fd(), 0, 0, 0));
        return Socket.adopt(fd, LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM);
    }

    /** A connected pair on one loop (connect and accept in flight together). */
    public static Pair pair(DriverLoop loop) {
        Socket l = listener(16);
        try {
            Socket c = newTcp();
            SockAddr a = encode(c, addressOf(l));
            Op connect = loop.submit(new Op().prepareConnect(c.fd(), a.address(), a.length()));
            Op accept = loop.submit(new Op().prepareAccept(l.fd(), 0, 0, 0));
            int rc = loop.await(connect).result();
            int fd = loop.await(accept).result();
            assertEquals(0, rc, () -> "connect: " + Errno.name(rc));
            assertTrue(fd >= 0, () -> "accept: " + Errno.name(fd));
            return new Pair(c, Socket.adopt(fd, LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM));
        } finally {
            closeQuietly(l);
        }
    }

    /** Sends {@code length} bytes from {@code address}, looping over partial sends; returns the number of SENDs. */
    public static int sendAll(DriverLoop loop, int fd, long address, long length) {
        Op op = new Op();
        long off = 0;
        int sends = 0;
        while (off < length) {
            int chunk = (int) Math.min(length - off, 1 << 30);
            int r = loop.call(op.prepareSend(fd, address + off, chunk, 0));
            sends++;
            if (r <= 0) {
                fail("send after " + off + " bytes returned " + (r < 0 ? Errno.name(r) : "0"));
            }
            off += r;
        }
        return sends;
    }

    /** Receives exactly {@code length} bytes into {@code address}; fails on EOF or error. */
    public static void recvExactly(DriverLoop loop, int fd, long address, int length) {
        Op op = new Op();
        int off = 0;
        while (off < length) {
            int r = loop.call(op.prepareRecv(fd, address + off, length - off, 0));
            if (r <= 0) {
                fail("recv after " + off + " of " + length + " bytes returned " + (r < 0 ? Errno.name(r) : "EOF"));
            }
            off += r;
        }
    }

    public static void closeQuietly(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // best effort in cleanup
        }
    }
}
