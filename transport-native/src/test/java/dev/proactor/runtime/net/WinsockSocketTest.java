package dev.proactor.runtime.net;

import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeError;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.conformance.DriverLoop;
import dev.proactor.runtime.conformance.Loopback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Socket} on Winsock: the same API as on Linux, with Windows numbers and layouts translated. */
@EnabledOnOs(OS.WINDOWS)
class WinsockSocketTest {

    @Test
    void optionsAreTranslated() throws IOException {
        try (Socket s = Socket.tcp(false)) {
            s.setOption(SocketOptions.TCP_NODELAY, true);
            assertTrue(s.getOption(SocketOptions.TCP_NODELAY));
            s.setOption(StandardSocketOptions.TCP_NODELAY, false);
            assertFalse(s.getOption(StandardSocketOptions.TCP_NODELAY));
            s.setOption(SocketOptions.SO_KEEPALIVE, true);
            assertTrue(s.getOption(SocketOptions.SO_KEEPALIVE));
            s.setOption(SocketOptions.SO_RCVBUF, 65536);
            assertEquals(65536, s.getOption(SocketOptions.SO_RCVBUF));
            s.setOption(SocketOptions.SO_LINGER, 5);
            assertEquals(5, s.getOption(SocketOptions.SO_LINGER));
            s.setOption(SocketOptions.SO_LINGER, -1);
            assertEquals(-1, s.getOption(SocketOptions.SO_LINGER));
            assertEquals(0, s.takeError());
            assertNull(s.remoteAddress(), "not connected");
        }
    }

    @Test
    void optionsWindowsLacksFailWithEnoprotoopt() throws IOException {
        try (Socket s = Socket.tcp(false)) {
            IOException e = assertThrows(IOException.class, () -> s.setOption(SocketOptions.TCP_CORK, true));
            assertEquals(Errno.ENOPROTOOPT, ((NativeError) e).code());
            assertTrue(e.getMessage().contains("TCP_CORK") && e.getMessage().contains("WSAENOPROTOOPT"), e.getMessage());
        }
    }

    @Test
    void unixSocketsAreRefusedClearly() {
        IOException e = assertThrows(IOException.class, Socket::unixStream);
        assertEquals(Errno.EAFNOSUPPORT, ((NativeError) e).code());
        assertTrue(e.getMessage().contains("not supported on Windows"), e.getMessage());
    }

    @Test
    void bindConflictNamesTheWinsockError() throws IOException {
        try (Socket a = Socket.tcp(false); Socket b = Socket.tcp(false)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            a.listen(1);
            IOException e = assertThrows(IOException.class, () -> b.bind(a.localAddress()));
            assertInstanceOf(ErrnoException.class, e);
            assertEquals(Errno.EADDRINUSE, ((NativeError) e).code());
            assertTrue(e.getMessage().contains("EADDRINUSE (WSAEADDRINUSE 10048"), e.getMessage());
        }
    }

    @Test
    void dualStackListenerAcceptsIpv4ThroughIocp() throws IOException {
        assertTrue(Socket.isIpv6Supported());
        try (DriverLoop loop = new DriverLoop(Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP)));
             Socket listener = Socket.tcp(true)) {
            assertEquals(23, listener.family(), "AF_INET6 on Windows");
            assertTrue(listener.isIpv6());
            assertFalse(listener.getOption(SocketOptions.IPV6_V6ONLY));
            listener.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            listener.listen(4);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Socket client = Loopback.connect(loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            int fd = loop.callOk(new Op().prepareAccept(listener.fd(), 0, 0, 0));
            try (Socket accepted = Socket.adopt(fd, listener.family(), 1)) {
                InetSocketAddress peer = (InetSocketAddress) accepted.remoteAddress();
                assertInstanceOf(Inet4Address.class, peer.getAddress(), "IPv4-mapped peers decode as IPv4: " + peer);
                assertEquals(client.localAddress(), peer);
            }
            client.close();
        }
    }

    @Test
    void multicastMembershipUsesWinsockRequestsAndNamesTheirErrors() throws IOException {
        InetAddress group = InetAddress.getByName("239.255.77.9");
        try (Socket s = Socket.udp(false)) {
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            Multicast.join(s, group, 0, null);
            Multicast.leave(s, group, 0, null);
            Multicast.setInterface(s, 0, (Inet4Address) InetAddress.getByName("127.0.0.1"));
            assertEquals(InetAddress.getByName("127.0.0.1"), Multicast.interfaceAddress(s));
            // No interface has this index: the failure names the errno and the Winsock error behind it.
            IOException e = assertThrows(IOException.class, () -> Multicast.join(s, group, 0x00ffff00, null));
            assertTrue(e.getMessage().startsWith("join multicast group 239.255.77.9 on interface 16776960: "), e.getMessage());
            assertTrue(e.getMessage().contains("(WSAE"), e.getMessage());
        }
    }

    @Test
    void udpSocketIsDisconnected() throws IOException {
        try (Socket a = Socket.udp(false); Socket b = Socket.udp(false)) {
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (DriverLoop loop = DriverLoop.open(DriverKind.IOCP)) {
                Loopback.SockAddr to = Loopback.encode(a, (InetSocketAddress) b.localAddress());
                assertEquals(0, loop.call(new Op().prepareConnect(a.fd(), to.address(), to.length())), "UDP connect, no ConnectEx");
            }
            assertEquals(b.localAddress(), a.remoteAddress());
            DatagramSockets.disconnect(a);
            assertNull(a.remoteAddress());
        }
    }
}
