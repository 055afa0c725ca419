package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MSG_DONTWAIT in an op's flags means "try once": a receive or send that would block completes with -EAGAIN
 * instead of waiting (io_uring's REQ_F_NOWAIT; the poll driver must not queue it). Without the flag it waits.
 */
class DontWaitConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void recvmsgWithDontWaitOnAnEmptySocketCompletesWithEagain(DriverKind kind) throws Exception {
        // The datagram channel's read rounds rely on this (IOCP: a WSARecvFrom without an OVERLAPPED).
        try (DriverLoop loop = DriverLoop.open(kind); Socket udp = Socket.udp(false)) {
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Msg msg = new Msg(64);
            assertEquals(-Errno.EAGAIN, loop.call(new Op().prepareRecvmsg(udp.fd(), msg.address(), LinuxConstants.MSG_DONTWAIT)));
            assertEquals(-Errno.EAGAIN, loop.call(new Op().prepareRecv(udp.fd(), msg.data.address(), 64, LinuxConstants.MSG_DONTWAIT)));

            // The same receive without the flag waits until a datagram arrives.
            Op waiting = loop.submit(new Op().prepareRecvmsg(udp.fd(), msg.address(), 0));
            loop.runFor(Duration.ofMillis(50));
            assertEquals(0, loop.completionsOf(waiting));
            try (Socket sender = Socket.udp(false)) {
                NativeBuffer to = NativeBuffer.allocate(SocketAddresses.STORAGE_SIZE);
                int len = sender.encode(udp.localAddress(), to.buffer(), 0);
                NativeBuffer payload = NativeBuffer.allocate(3);
                Op connect = new Op().prepareConnect(sender.fd(), to.address(), len);
                assertEquals(0, loop.call(connect));
                assertEquals(3, loop.call(new Op().prepareSend(sender.fd(), payload.address(), 3, 0)));
            }
            assertEquals(3, loop.await(waiting).result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void dontWaitReceiveBehindAWaitingOneCompletesAtOnce(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            Loopback.Pair pair = Loopback.pair(loop);
            NativeBuffer buf = NativeBuffer.allocate(16);
            NativeBuffer other = NativeBuffer.allocate(16);
            Op waiting = loop.submit(new Op().prepareRecv(pair.client().fd(), buf.address(), 16, 0));
            loop.runFor(Duration.ofMillis(30));
            assertEquals(-Errno.EAGAIN, loop.call(new Op().prepareRecv(pair.client().fd(), other.address(), 16, LinuxConstants.MSG_DONTWAIT)));
            assertEquals(0, loop.completionsOf(waiting));
            NativeBuffer out = NativeBuffer.allocate(4);
            assertEquals(4, loop.call(new Op().prepareSend(pair.server().fd(), out.address(), 4, 0)));
            assertEquals(4, loop.await(waiting).result());
            pair.close();
        }
    }

    /** A msghdr with one iovec and room for the sender's address. */
    private static final class Msg {
        final NativeBuffer hdr = NativeBuffer.allocate(56 + 16 + SocketAddresses.STORAGE_SIZE);
        final NativeBuffer data;

        Msg(int size) {
            data = NativeBuffer.allocate(size);
            long base = hdr.address();
            hdr.buffer().putLong(0, base + 72).putInt(8, SocketAddresses.STORAGE_SIZE)
                    .putLong(16, base + 56).putLong(24, 1)
                    .putLong(56, data.address()).putLong(64, size);
        }

        long address() {
            return hdr.address();
        }
    }
}
