package dev.proactor.runtime.iocp;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.conformance.DriverLoop;
import dev.proactor.runtime.conformance.Loopback;
import dev.proactor.runtime.conformance.OwnerProbe;
import dev.proactor.runtime.conformance.Reaction;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketAddresses;
import dev.proactor.runtime.net.SocketOptions;
import com.sun.jna.WString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.proactor.runtime.conformance.Loopback.addressOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What is specific to the IOCP driver: packets, immediate completions, ownership at close, handle association. */
@EnabledOnOs(OS.WINDOWS)
@Timeout(60)
class IocpDriverTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private <T extends AutoCloseable> T later(T c) {
        cleanup.add(c);
        return c;
    }

    private DriverLoop open() {
        return later(new DriverLoop(Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP))));
    }

    private static IocpDriver iocp(DriverLoop loop) {
        return (IocpDriver) loop.driver();
    }

    private static NativeBuffer text(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        NativeBuffer n = NativeBuffer.allocate(Math.max(1, b.length));
        n.buffer().put(0, b);
        return n;
    }

    private static String text(NativeBuffer b, int len) {
        byte[] out = new byte[len];
        b.buffer().get(0, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** A synchronous non-blocking send, outside any driver. */
    private static void sendNow(Socket s, String text) {
        NativeBuffer b = text(text);
        int n = text.length();
        assertEquals(n, Ws2_32.send(s.fd(), b.address(), n, 0), () -> "send: " + Ws2_32.lastError());
    }

    @Test
    void callThatSucceedsAtOnceQueuesNoPacketAndIsDeliveredByTheNextPoll() {
        DriverLoop loop = open();
        IocpDriver d = iocp(loop);
        Loopback.Pair p = later(Loopback.pair(loop));
        sendNow(p.server(), "ready");
        loop.runFor(Duration.ofMillis(50)); // the bytes are in the client's receive buffer now
        long packets = d.packets();
        long immediate = d.immediateCompletions();
        NativeBuffer in = NativeBuffer.allocate(64);
        Op recv = loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 64, 0));
        assertEquals(immediate + 1, d.immediateCompletions(), "WSARecv with data waiting completes at once");
        assertEquals(0, loop.completionsOf(recv), "never delivered inside submit");
        assertEquals(5, loop.await(recv).result());
        assertEquals("ready", text(in, 5));
        loop.runFor(Duration.ofMillis(100));
        assertEquals(packets, d.packets(), "FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: no packet for it");
        assertEquals(0, d.strayPackets());
        assertEquals(1, loop.completionsOf(recv));
    }

    @Test
    void receiveThatFillsTheBufferSaysThereMayBeMore() {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        sendNow(p.server(), "0123456789");
        loop.runFor(Duration.ofMillis(50));
        NativeBuffer in = NativeBuffer.allocate(16);
        DriverLoop.Completed full = loop.await(loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 4, 0)));
        assertEquals(4, full.result());
        assertTrue((full.flags() & Completion.SOCK_NONEMPTY) != 0, "a full buffer: more may be waiting");
        DriverLoop.Completed rest = loop.await(loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 16, 0)));
        assertEquals(6, rest.result());
        assertEquals(0, rest.flags() & Completion.SOCK_NONEMPTY);
    }

    @Test
    void dontWaitReceiveIsEagainWhenNothingIsThere() {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        NativeBuffer in = NativeBuffer.allocate(16);
        assertEquals(-Errno.EAGAIN, loop.call(new Op().prepareRecv(p.client().fd(), in.address(), 16, LinuxConstants.MSG_DONTWAIT)));
        sendNow(p.server(), "now");
        loop.runFor(Duration.ofMillis(50));
        assertEquals(3, loop.call(new Op().prepareRecv(p.client().fd(), in.address(), 16, LinuxConstants.MSG_DONTWAIT)));
    }

    /**
     * The ownership rule at close, when a packet never comes: the driver must leak, not free. The recv is left
     * pending (no cancel); after the driver gave up, the peer's bytes still land in the receive buffer, which
     * is why its owner must not have been released.
     */
    @Test
    void closeLeaksWhatTheKernelStillOwnsInsteadOfFreeingIt() throws Exception {
        IocpDriver d = (IocpDriver) Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP));
        DriverLoop loop = new DriverLoop(d);
        Loopback.Pair p = later(Loopback.pair(loop));
        NativeBuffer in = NativeBuffer.allocate(64);
        Op recv = new Op().prepareRecv(p.client().fd(), in.address(), 64, 0);
        OwnerProbe owner = OwnerProbe.on(loop, recv);
        loop.submit(recv);
        loop.runFor(Duration.ofMillis(50));
        assertFalse(loop.hasCompletion(recv));
        assertFalse(d.shutdown(Duration.ofMillis(200).toNanos(), false), "close must report the call that never ended");
        owner.assertNotReleased();
        assertTrue(recv.isInFlight(), "a leaked op stays in flight");
        sendNow(p.server(), "late!");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"late!".equals(text(in, 5)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("late!", text(in, 5), "the kernel wrote into the buffer after the driver closed");
        owner.assertNotReleased();
        d.close(); // idempotent
    }

    @Test
    void closeCancelsPendingCallsAndReleasesOwnersOnlyAfterTheirPackets() {
        IocpDriver d = (IocpDriver) Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP));
        DriverLoop loop = new DriverLoop(d);
        Socket listener = later(Loopback.listener(4));
        Loopback.Pair p = later(Loopback.pair(loop));
        NativeBuffer in = NativeBuffer.allocate(64);
        List<Op> ops = List.of(
                new Op().prepareRecv(p.client().fd(), in.address(), 64, 0),
                new Op().prepareAccept(listener.fd(), 0, 0, 0),
                new Op().prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT),
                new Op().preparePoll(p.server().fd(), LinuxConstants.POLLIN));
        List<OwnerProbe> owners = new ArrayList<>();
        for (Op op : ops) {
            owners.add(OwnerProbe.on(loop, op));
            loop.submit(op);
        }
        loop.runFor(Duration.ofMillis(50));
        long packets = d.packets();
        assertEquals(4, d.inFlight());
        d.close();
        assertEquals(packets + 4, d.packets(), "close dequeued the packet of every cancelled call");
        for (OwnerProbe o : owners) {
            o.assertReleasedOnceAfter(0);
        }
        assertEquals(0, d.strayPackets());
    }

    @Test
    void socketClosedOutsideTheDriverEndsItsPendingCall() throws Exception {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        NativeBuffer in = NativeBuffer.allocate(64);
        Op recv = new Op().prepareRecv(p.client().fd(), in.address(), 64, 0);
        OwnerProbe owner = OwnerProbe.on(loop, recv);
        loop.submit(recv);
        loop.runFor(Duration.ofMillis(30));
        p.client().close(); // Socket.close: not through the driver
        int r = loop.await(recv).result();
        assertEquals(-Errno.ECANCELED, r, () -> "pending recv of a closed socket: " + Errno.name(r));
        owner.assertReleasedOnceAfter(1);
    }

    @Test
    void reusedHandleNumberIsAssociatedAgain() throws Exception {
        DriverLoop loop = open();
        Socket listener = later(Loopback.listener(16));
        InetSocketAddress to = addressOf(listener);
        for (boolean closeOp : new boolean[] {false, true}) {
            Socket a = Loopback.connect(loop, to); // associated with the port by ConnectEx
            int number = a.fd();
            if (closeOp) {
                assertEquals(0, loop.call(new Op().prepareClose(a.detach())));
            } else {
                a.close();
            }
            Socket b = Loopback.newTcp();
            assumeTrue(b.fd() == number, "Windows did not hand out the same number again");
            Loopback.SockAddr addr = Loopback.encode(b, to);
            int r = loop.call(new Op().prepareConnect(b.fd(), addr.address(), addr.length()));
            assertEquals(0, r, () -> "connect on the reused number: " + Errno.name(r));
            b.close();
        }
    }

    @Test
    void packetsForACallOfAnotherDriverAreForwardedToIt() throws Exception {
        DriverLoop a = open();
        Loopback.Pair p = later(Loopback.pair(a)); // the client socket is associated with a's port
        CountDownLatch submitted = new CountDownLatch(1);
        AtomicReference<String> received = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try (DriverLoop b = new DriverLoop(Drivers.open(DriverConfig.defaults().withKind(DriverKind.IOCP)))) {
                NativeBuffer in = NativeBuffer.allocate(64);
                Op recv = b.submit(new Op().prepareRecv(p.client().fd(), in.address(), 64, 0));
                submitted.countDown();
                int r = b.await(recv).result();
                received.set(r > 0 ? text(in, r) : Errno.name(r));
            } catch (Throwable t) {
                failure.set(t);
                submitted.countDown();
            }
        }, "driver-b");
        other.start();
        assertTrue(submitted.await(10, TimeUnit.SECONDS));
        sendNow(p.server(), "via a");
        a.runUntil(() -> !other.isAlive(), "driver b's recv");
        other.join();
        assertNull(failure.get());
        assertEquals("via a", received.get());
        assertTrue(iocp(a).forwardedPackets() >= 1, "the packet reached a's port and was forwarded");
        assertEquals(0, iocp(a).strayPackets());
    }

    @Test
    void resetByThePeerIsEconnresetNamingTheWindowsCode() throws Exception {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        NativeBuffer in = NativeBuffer.allocate(64);
        Op recv = loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 64, 0));
        loop.runFor(Duration.ofMillis(30));
        p.server().setOption(SocketOptions.SO_LINGER, 0);
        p.server().close(); // linger 0: RST
        int r = loop.await(recv).result();
        assertEquals(-Errno.ECONNRESET, r, () -> "recv after RST: " + Errno.name(r));
        IOException e = ErrnoException.of("recv", r);
        assertTrue(e.getMessage().startsWith("recv: ECONNRESET (WSAECONNRESET 10054"), e.getMessage());
    }

    @Test
    void spliceWantsAFileOffsetAndNoSocketOffset() throws Exception {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("transmit", ".bin");
        try {
            java.nio.file.Files.write(file, new byte[100]);
            int handle = dev.proactor.runtime.FileHandles.openForReading(file);
            try {
                assertEquals(-Errno.EINVAL, loop.call(new Op().prepareSplice(handle, 0, p.client().fd(), 0, 10, 0)));
                assertEquals(-Errno.EINVAL, loop.call(new Op().prepareSplice(handle, Op.NO_OFFSET, p.client().fd(), Op.NO_OFFSET, 10, 0)));
                assertEquals(10, loop.call(new Op().prepareSplice(handle, 90, p.client().fd(), Op.NO_OFFSET, 10, 0)));
            } finally {
                assertEquals(0, dev.proactor.runtime.FileHandles.close(handle));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    /** CancelIoEx must name the socket TransmitFile runs on, not the file: else the cancel finds nothing to end. */
    @Test
    void cancelEndsATransmitFileThatWaitsForThePeer() throws Exception {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("transmit", ".bin");
        try {
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(64L << 20); // far more than the socket buffers hold: the peer never reads
            }
            int handle = dev.proactor.runtime.FileHandles.openForReading(file);
            try {
                Op transmit = loop.submit(new Op().prepareSplice(handle, 0, p.client().fd(), Op.NO_OFFSET, 64 << 20, 0));
                loop.runFor(Duration.ofMillis(300));
                assertEquals(0, loop.completionsOf(transmit), "TransmitFile should wait for the peer");
                assertTrue(loop.driver().cancel(transmit));
                int r = loop.await(transmit).result();
                assertEquals(-Errno.ECANCELED, r, () -> "cancelled TransmitFile: " + (r < 0 ? Errno.name(r) : r + " bytes"));
                assertEquals(0, loop.driver().inFlight());
            } finally {
                assertEquals(0, dev.proactor.runtime.FileHandles.close(handle));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void gatheringSendOfManyBuffers() {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        int n = 100; // far more than fit in the slot's inline WSABUFs
        NativeBuffer data = NativeBuffer.allocate(n);
        NativeBuffer iov = NativeBuffer.allocate(16 * n);
        for (int i = 0; i < n; i++) {
            data.buffer().put(i, (byte) ('a' + i % 26));
            iov.buffer().putLong(16 * i, data.address() + i).putLong(16 * i + 8, 1);
        }
        assertEquals(n, loop.call(new Op().prepareSendv(p.client().fd(), iov.address(), n, 0)));
        NativeBuffer in = NativeBuffer.allocate(n);
        Loopback.recvExactly(loop, p.server().fd(), in.address(), n);
        for (int i = 0; i < n; i++) {
            assertEquals((byte) ('a' + i % 26), in.buffer().get(i));
        }
    }

    @Test
    void pollOnAListenerWaitsForAConnection() {
        DriverLoop loop = open();
        Socket listener = later(Loopback.listener(4));
        Op poll = loop.submit(new Op().preparePoll(listener.fd(), LinuxConstants.POLLIN));
        loop.runFor(Duration.ofMillis(50));
        assertFalse(loop.hasCompletion(poll));
        Socket c = later(Loopback.newTcp());
        Loopback.SockAddr a = Loopback.encode(c, addressOf(listener));
        Op connect = loop.submit(new Op().prepareConnect(c.fd(), a.address(), a.length()));
        assertEquals(0, loop.await(connect).result());
        int mask = loop.await(poll).result();
        assertTrue((mask & LinuxConstants.POLLIN) != 0, "POLLIN on the listener: " + mask);
        Socket.adopt(loop.callOk(new Op().prepareAccept(listener.fd(), 0, 0, 0)), LinuxConstants.AF_INET,
                LinuxConstants.SOCK_STREAM);
    }

    @Test
    void cancelledPollEndsWithEcanceled() {
        DriverLoop loop = open();
        Loopback.Pair p = later(Loopback.pair(loop));
        Op poll = loop.submit(new Op().preparePoll(p.client().fd(), LinuxConstants.POLLIN));
        loop.runFor(Duration.ofMillis(30));
        assertTrue(loop.driver().cancel(poll));
        assertEquals(-Errno.ECANCELED, loop.await(poll).result());
    }

    @Test
    void multishotAcceptOfConnectionsAlreadyWaitingAndCancelFromTheHandler() throws Exception {
        DriverLoop loop = open();
        Socket listener = later(Loopback.listener(16));
        InetSocketAddress to = addressOf(listener);
        List<java.net.Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(later(new java.net.Socket(to.getAddress(), to.getPort())));
        }
        List<Integer> results = new ArrayList<>();
        List<Integer> flags = new ArrayList<>();
        Op accept = new Op().prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT);
        OwnerProbe owner = OwnerProbe.on(loop, accept);
        accept.attach((Reaction) (op, r, f) -> {
            results.add(r);
            flags.add(f);
            if (results.size() == 5) {
                assertTrue(loop.driver().cancel(op));
            }
        });
        loop.submit(accept);
        loop.runUntil(() -> !accept.isInFlight(), "the multishot accept to end");
        assertEquals(6, results.size(), "five connections, then the cancellation: " + results);
        for (int i = 0; i < 5; i++) {
            assertTrue(results.get(i) > 0, "accept: " + Errno.name(results.get(i)));
            assertTrue(Completion.hasMore(flags.get(i)));
            Socket.adopt(results.get(i), LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM).close();
        }
        assertEquals(-Errno.ECANCELED, results.get(5));
        assertFalse(Completion.hasMore(flags.get(5)));
        owner.assertReleasedOnceAfter(6);
    }

    @Test
    void datagramsWithAddressesThroughRecvmsgAndSendmsg() throws Exception {
        DriverLoop loop = open();
        Socket a = later(Socket.udp(false));
        Socket b = later(Socket.udp(false));
        a.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        NativeBuffer to = NativeBuffer.allocate(128);
        int toLen = b.encode(b.localAddress(), to.buffer(), 0);
        NativeBuffer part1 = text("hello, ");
        NativeBuffer part2 = text("datagram");
        NativeBuffer iov = NativeBuffer.allocate(32);
        iov.buffer().putLong(0, part1.address()).putLong(8, 7).putLong(16, part2.address()).putLong(24, 8);
        NativeBuffer msg = msghdr(to.address(), toLen, iov.address(), 2);
        assertEquals(15, loop.call(new Op().prepareSendmsg(a.fd(), msg.address(), 0)));

        NativeBuffer in = NativeBuffer.allocate(64);
        NativeBuffer from = NativeBuffer.allocate(128);
        NativeBuffer inIov = NativeBuffer.allocate(16);
        inIov.buffer().putLong(0, in.address()).putLong(8, 64);
        NativeBuffer inMsg = msghdr(from.address(), 128, inIov.address(), 1);
        assertEquals(15, loop.call(new Op().prepareRecvmsg(b.fd(), inMsg.address(), 0)));
        assertEquals("hello, datagram", text(in, 15));
        int fromLen = inMsg.buffer().getInt(8);
        assertEquals(a.localAddress(), SocketAddresses.read(from.buffer(), 0, fromLen));
        assertEquals(0, inMsg.buffer().getInt(48), "msg_flags");

        // a datagram larger than the buffer: truncated, and msg_flags says so
        assertEquals(15, loop.call(new Op().prepareSendmsg(a.fd(), msg.address(), 0)));
        inIov.buffer().putLong(8, 5);
        inMsg.buffer().putInt(8, 128);
        assertEquals(5, loop.call(new Op().prepareRecvmsg(b.fd(), inMsg.address(), 0)));
        assertEquals("hello", text(in, 5));
        assertEquals(0x20, inMsg.buffer().getInt(48) & 0x20, "MSG_TRUNC");
    }

    /** struct msghdr as on 64-bit Linux: the runtime's format on every system. */
    private static NativeBuffer msghdr(long name, int nameLen, long iov, int iovLen) {
        NativeBuffer m = NativeBuffer.allocate(56);
        m.buffer().putLong(0, name).putInt(8, nameLen).putLong(16, iov).putLong(24, iovLen);
        return m;
    }

    @Test
    void namedPipeReadWaitsForTheWriterThenSeesEndOfFile() throws Exception {
        DriverLoop loop = open();
        WString name = new WString("\\\\.\\pipe\\proactor-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        long server = Kernel32.CreateNamedPipeW(name, 3 /* PIPE_ACCESS_DUPLEX */ | Kernel32.FILE_FLAG_OVERLAPPED,
                0 /* PIPE_TYPE_BYTE | PIPE_WAIT */, 1, 4096, 4096, 0, 0);
        assertTrue(server != Kernel32.INVALID_HANDLE_VALUE, () -> "CreateNamedPipeW: " + Kernel32.lastError());
        long client = Kernel32.CreateFileW(name, Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE, 0, 0, Kernel32.OPEN_EXISTING,
                Kernel32.FILE_FLAG_OVERLAPPED, 0);
        assertTrue(client != Kernel32.INVALID_HANDLE_VALUE, () -> "CreateFileW(pipe): " + Kernel32.lastError());
        NativeBuffer in = NativeBuffer.allocate(16);
        Op read = loop.submit(new Op().prepareRead((int) server, in.address(), 16, Op.NO_OFFSET));
        loop.runFor(Duration.ofMillis(50));
        assertFalse(loop.hasCompletion(read), "read of an empty pipe completed");
        NativeBuffer out = text("pipe!");
        assertEquals(5, loop.call(new Op().prepareWrite((int) client, out.address(), 5, Op.NO_OFFSET)));
        assertEquals(5, loop.await(read).result());
        assertEquals("pipe!", text(in, 5));
        assertEquals(0, loop.call(new Op().prepareClose((int) client)));
        assertEquals(0, loop.call(new Op().prepareRead((int) server, in.address(), 16, Op.NO_OFFSET)), "EOF after the writer closed");
        assertEquals(0, loop.call(new Op().prepareClose((int) server)));
    }
}
