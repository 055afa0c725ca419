package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.DatagramSockets;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP through RECVMSG/SENDMSG with the runtime's (Linux-layout) msghdr on every driver: the sender's address comes
 * back in msg_name, a datagram longer than the buffer is cut with MSG_TRUNC, a connected socket sends without a
 * name, datagrams keep their boundaries.
 */
class DatagramConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void ipv4DatagramsCarryTheSendersAddress(DriverKind kind) throws Exception {
        echo(kind, false, InetAddress.getByName("127.0.0.1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void ipv6DatagramsCarryTheSendersAddress(DriverKind kind) throws Exception {
        assumeTrue(Socket.isIpv6Supported(), "no IPv6 on this host");
        echo(kind, true, InetAddress.getByName("::1"));
    }

    private static void echo(DriverKind kind, boolean ipv6, InetAddress loopback) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Socket a = Socket.udp(ipv6); Socket b = Socket.udp(ipv6)) {
            a.bind(new InetSocketAddress(loopback, 0));
            b.bind(new InetSocketAddress(loopback, 0));
            InetSocketAddress aAddr = (InetSocketAddress) a.localAddress();
            InetSocketAddress bAddr = (InetSocketAddress) b.localAddress();

            Msg in = new Msg(64);
            Op recv = loop.submit(new Op().prepareRecvmsg(b.fd(), in.forReceive(true), 0));
            Msg out = new Msg(64);
            assertEquals(5, loop.call(new Op().prepareSendmsg(a.fd(), out.forSend("hello", a, bAddr), 0)));
            assertEquals(5, loop.await(recv).result());
            assertEquals("hello", in.text(5));
            InetSocketAddress sender = in.sender();
            assertEquals(aAddr.getPort(), sender.getPort());
            assertEquals(ipv6, sender.getAddress() instanceof Inet6Address);
            assertTrue(sender.getAddress().isLoopbackAddress(), () -> "sender " + sender);
            assertEquals(0, in.flags() & LinuxConstants.MSG_TRUNC);

            // And back, to the address the receive reported.
            Op back = loop.submit(new Op().prepareRecvmsg(a.fd(), in.forReceive(true), 0));
            assertEquals(4, loop.call(new Op().prepareSendmsg(b.fd(), out.forSend("pong", b, sender), 0)));
            assertEquals(4, loop.await(back).result());
            assertEquals("pong", in.text(4));
            assertEquals(bAddr.getPort(), in.sender().getPort());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void aDatagramLongerThanTheBufferIsTruncated(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Socket a = Socket.udp(false); Socket b = Socket.udp(false)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Msg out = new Msg(64);
            assertEquals(12, loop.call(new Op().prepareSendmsg(a.fd(), out.forSend("0123456789ab", a, b.localAddress()), 0)));
            assertEquals(3, loop.call(new Op().prepareSendmsg(a.fd(), out.forSend("xyz", a, b.localAddress()), 0)));
            Msg in = new Msg(8);
            assertEquals(8, loop.call(new Op().prepareRecvmsg(b.fd(), in.forReceive(true), 0)));
            assertEquals("01234567", in.text(8));
            assertTrue((in.flags() & LinuxConstants.MSG_TRUNC) != 0, "MSG_TRUNC in msg_flags");
            // The rest of the long datagram is gone; the next one is whole.
            assertEquals(3, loop.call(new Op().prepareRecvmsg(b.fd(), in.forReceive(true), 0)));
            assertEquals("xyz", in.text(3));
            assertEquals(0, in.flags() & LinuxConstants.MSG_TRUNC);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void aConnectedSocketSendsWithoutANameAndCanBeDisconnected(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Socket a = Socket.udp(false); Socket b = Socket.udp(false)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Loopback.SockAddr to = Loopback.encode(a, (InetSocketAddress) b.localAddress());
            assertEquals(0, loop.call(new Op().prepareConnect(a.fd(), to.address(), to.length())));
            assertEquals(b.localAddress(), a.remoteAddress());

            Msg out = new Msg(16);
            assertEquals(3, loop.call(new Op().prepareSendmsg(a.fd(), out.forSend("one", a, null), 0)));
            NativeBuffer two = NativeBuffer.allocate(3);
            two.buffer().put(0, "two".getBytes(StandardCharsets.US_ASCII));
            assertEquals(3, loop.call(new Op().prepareSend(a.fd(), two.address(), 3, 0)));
            Msg in = new Msg(16);
            assertEquals(3, loop.call(new Op().prepareRecvmsg(b.fd(), in.forReceive(false), 0)));
            assertEquals("one", in.text(3));
            NativeBuffer buf = NativeBuffer.allocate(16);
            assertEquals(3, loop.call(new Op().prepareRecv(b.fd(), buf.address(), 16, 0)));

            DatagramSockets.disconnect(a);
            assertEquals(null, a.remoteAddress());
            // Wine limitation: after connect to the all-zero address getpeername says "not connected", but Wine's
            // send without a name still goes to the old peer (real Windows fails it with WSAENOTCONN).
            assumeTrue(!TestPlatform.underWine(), "Wine keeps sending to a disconnected UDP socket's old peer");
            int r = loop.call(new Op().prepareSendmsg(a.fd(), out.forSend("three", a, null), LinuxConstants.MSG_DONTWAIT));
            assertTrue(r < 0, "a send without a name after disconnect must fail, got " + r);
            assertNotEquals(-Errno.EAGAIN, r, "it fails for want of a peer, not of room");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void manyDatagramsKeepTheirBoundaries(DriverKind kind) throws Exception {
        int count = 200;
        try (DriverLoop loop = DriverLoop.open(kind); Socket a = Socket.udp(false); Socket b = Socket.udp(false)) {
            a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            b.setOption(dev.proactor.runtime.net.SocketOptions.SO_RCVBUF, 1 << 20);
            Set<String> seen = new HashSet<>();
            Msg in = new Msg(64);
            Msg out = new Msg(64);
            for (int i = 0; i < count; i++) {
                String text = "datagram-" + i + "-" + "x".repeat(i % 17);
                assertEquals(text.length(), loop.call(new Op().prepareSendmsg(a.fd(), out.forSend(text, a, b.localAddress()), 0)));
                if (i % 20 == 19) { // drain now and then so the receive buffer never overflows
                    drain(loop, b, in, seen);
                }
            }
            drain(loop, b, in, seen);
            assertEquals(count, seen.size());
            for (int i = 0; i < count; i++) {
                assertTrue(seen.contains("datagram-" + i + "-" + "x".repeat(i % 17)), "datagram " + i);
            }
        }
    }

    /** Receives with MSG_DONTWAIT until -EAGAIN: what is queued comes at once, then the socket says it is empty. */
    private static void drain(DriverLoop loop, Socket s, Msg in, Set<String> seen) {
        for (int guard = 0; guard < 1000; guard++) {
            int r = loop.call(new Op().prepareRecvmsg(s.fd(), in.forReceive(true), LinuxConstants.MSG_DONTWAIT));
            if (r == -Errno.EAGAIN) {
                return;
            }
            assertTrue(r > 0, () -> "recvmsg: " + Errno.name(r));
            assertTrue(seen.add(in.text(r)), "each datagram once");
        }
    }

    /** A msghdr with one iovec, room for an address, no control data. */
    static final class Msg {
        private static final int NAME = 72;
        final NativeBuffer hdr = NativeBuffer.allocate(NAME + SocketAddresses.STORAGE_SIZE);
        final NativeBuffer data;
        private final int size;

        Msg(int size) {
            this.size = size;
            this.data = NativeBuffer.allocate(size);
        }

        long forReceive(boolean wantName) {
            ByteBuffer h = hdr.buffer();
            long base = hdr.address();
            h.putLong(0, wantName ? base + NAME : 0).putInt(8, wantName ? SocketAddresses.STORAGE_SIZE : 0)
                    .putLong(16, base + 56).putLong(24, 1).putLong(32, 0).putLong(40, 0).putInt(48, 0)
                    .putLong(56, data.address()).putLong(64, size);
            return base;
        }

        long forSend(String text, Socket from, java.net.SocketAddress to) {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            data.buffer().put(0, bytes);
            ByteBuffer h = hdr.buffer();
            long base = hdr.address();
            int nameLength = to == null ? 0 : from.encode(to, h, NAME);
            h.putLong(0, to == null ? 0 : base + NAME).putInt(8, nameLength)
                    .putLong(16, base + 56).putLong(24, 1).putLong(32, 0).putLong(40, 0).putInt(48, 0)
                    .putLong(56, data.address()).putLong(64, bytes.length);
            return base;
        }

        String text(int length) {
            byte[] b = new byte[length];
            data.buffer().get(0, b);
            return new String(b, StandardCharsets.US_ASCII);
        }

        int flags() {
            return hdr.buffer().getInt(48);
        }

        InetSocketAddress sender() {
            return (InetSocketAddress) SocketAddresses.read(hdr.buffer(), NAME, hdr.buffer().getInt(8));
        }
    }
}
