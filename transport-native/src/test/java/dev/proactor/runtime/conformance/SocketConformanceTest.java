package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.NativeError;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static dev.proactor.runtime.conformance.Loopback.addressOf;
import static dev.proactor.runtime.conformance.Loopback.closeQuietly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Socket operations, the same on every driver this host can run. */
class SocketConformanceTest {
    private static final Duration JOIN = Duration.ofSeconds(60);

    private static byte[] bytes(NativeBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.buffer().get(off, out);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void echoBetweenTwoDriversOnTwoThreads(DriverKind kind) throws Exception {
        try (DriverLoop server = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(16);
            EchoServer echo = new EchoServer(server, listener, 8192).start();
            InetSocketAddress to = addressOf(listener);
            Peer client = Peer.start("echo-client", kind, loop -> {
                Socket s = Loopback.connect(loop, to);
                NativeBuffer out = NativeBuffer.allocate(5000);
                NativeBuffer in = NativeBuffer.allocate(5000);
                Random random = new Random(42);
                for (int i = 0; i < 200; i++) {
                    int len = 1 + random.nextInt(5000);
                    byte[] msg = new byte[len];
                    random.nextBytes(msg);
                    out.buffer().put(0, msg);
                    Loopback.sendAll(loop, s.fd(), out.address(), len);
                    Loopback.recvExactly(loop, s.fd(), in.address(), len);
                    assertArrayEquals(msg, bytes(in, 0, len), "echo of message " + i);
                }
                s.close();
            });
            server.runUntil(client::isDone, JOIN, "the echo client");
            client.join(JOIN);
            server.runUntil(() -> echo.closed() == 1, "the server side to see EOF and close");
            echo.stop();
            server.runUntil(() -> server.driver().inFlight() == 0, "the accept to be cancelled");
            assertEquals(List.of(), echo.errors());
            assertEquals(1, echo.accepted());
            closeQuietly(listener);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void thousandConcurrentConnectionsEcho(DriverKind kind) throws Exception {
        int connections = 1000;
        try (DriverLoop server = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(connections + 24);
            EchoServer echo = new EchoServer(server, listener, 256).start();
            InetSocketAddress to = addressOf(listener);
            Peer client = Peer.start("1000-clients", kind, loop -> runClients(loop, to, connections));
            server.runUntil(client::isDone, JOIN, "1000 clients");
            client.join(JOIN);
            server.runUntil(() -> echo.closed() == connections, "every server connection to close");
            echo.stop();
            server.runUntil(() -> server.driver().inFlight() == 0, "the accept to be cancelled");
            assertEquals(List.of(), echo.errors());
            assertEquals(connections, echo.accepted());
            assertEquals(connections * 32L, echo.bytesEchoed());
            closeQuietly(listener);
        }
    }

    /** Opens every connection at once; each sends 32 bytes naming itself and checks the echo, then closes. */
    private static void runClients(DriverLoop loop, InetSocketAddress to, int n) {
        Socket[] sockets = new Socket[n];
        NativeBuffer mem = NativeBuffer.allocate(n * 64);
        Loopback.SockAddr[] addrs = new Loopback.SockAddr[n];
        int[] received = new int[n];
        int[] finished = {0};
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            sockets[i] = Loopback.newTcp();
            addrs[i] = Loopback.encode(sockets[i], to);
            byte[] msg = String.format("connection %05d says hello!!!!\n", i).getBytes(StandardCharsets.US_ASCII);
            mem.buffer().put(i * 64, msg);
            int fd = sockets[i].fd();
            Op op = new Op();
            Reaction[] recvStep = new Reaction[1];
            recvStep[0] = (o, r, f) -> {
                if (r <= 0) {
                    errors.add(id + ": recv " + Errno.name(r));
                    finished[0]++;
                    return;
                }
                received[id] += r;
                if (received[id] < 32) {
                    loop.submit(o.prepareRecv(fd, mem.address() + id * 64 + 32 + received[id], 32 - received[id], 0).attach(recvStep[0]));
                } else {
                    if (!java.util.Arrays.equals(bytes(mem, id * 64, 32), bytes(mem, id * 64 + 32, 32))) {
                        errors.add(id + ": echo differs");
                    }
                    loop.submit(o.prepareClose(sockets[id].detach()).attach((Reaction) (o2, r2, f2) -> finished[0]++));
                }
            };
            Reaction sent = (o, r, f) -> {
                if (r != 32) {
                    errors.add(id + ": send " + r);
                }
                loop.submit(o.prepareRecv(fd, mem.address() + id * 64 + 32, 32, 0).attach(recvStep[0]));
            };
            Reaction connected = (o, r, f) -> {
                if (r != 0) {
                    errors.add(id + ": connect " + Errno.name(r));
                    finished[0]++;
                    return;
                }
                loop.submit(o.prepareSend(fd, mem.address() + id * 64, 32, 0).attach(sent));
            };
            loop.submit(op.prepareConnect(fd, addrs[i].address(), addrs[i].length()).attach(connected));
        }
        loop.runUntil(() -> finished[0] == n, JOIN, "every client to finish");
        assertEquals(List.of(), errors);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void partialSendsOf64MiBArriveIntact(DriverKind kind) throws Exception {
        int size = 64 << 20;
        NativeBuffer data = NativeBuffer.allocate(size);
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 16];
        for (int off = 0; off < size; off += chunk.length) {
            random.nextBytes(chunk);
            data.buffer().put(off, chunk);
        }
        CRC32 sentCrc = new CRC32();
        sentCrc.update(data.buffer().duplicate().position(0).limit(size));
        try (DriverLoop sender = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(4);
            InetSocketAddress to = addressOf(listener);
            AtomicLong receivedCrc = new AtomicLong();
            AtomicLong receivedBytes = new AtomicLong();
            Peer receiver = Peer.start("64MiB-receiver", kind, loop -> {
                Socket s = Loopback.connect(loop, to);
                NativeBuffer in = NativeBuffer.allocate(256 << 10);
                CRC32 crc = new CRC32();
                Op op = new Op();
                long total = 0;
                for (;;) {
                    int r = loop.call(op.prepareRecv(s.fd(), in.address(), in.size(), 0));
                    assertTrue(r >= 0, () -> "recv: " + Errno.name(r));
                    if (r == 0) {
                        break;
                    }
                    crc.update(in.buffer().duplicate().position(0).limit(r));
                    total += r;
                }
                receivedBytes.set(total);
                receivedCrc.set(crc.getValue());
                s.close();
            });
            Socket s = Loopback.accept(sender, listener);
            int sends = Loopback.sendAll(sender, s.fd(), data.address(), size);
            s.shutdown(LinuxConstants.SHUT_WR);
            receiver.join(JOIN);
            assertEquals(size, receivedBytes.get(), "bytes received");
            assertEquals(sentCrc.getValue(), receivedCrc.get(), "CRC32 of the content");
            assertTrue(sends >= 1);
            System.out.println(kind + ": 64 MiB sent with " + sends + " SEND ops");
            s.close();
            closeQuietly(listener);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pendingRecvReturnsZeroAfterPeerShutdown(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(64);
            Op recv = loop.submit(new Op().prepareRecv(p.client().fd(), buf.address(), 64, 0));
            loop.runFor(Duration.ofMillis(100));
            assertFalse(loop.hasCompletion(recv), "recv completed with no data and no EOF");
            p.server().shutdown(LinuxConstants.SHUT_WR);
            assertEquals(0, loop.await(recv).result(), "recv after the peer's shutdown(SHUT_WR)");
            assertEquals(0, loop.call(recv.prepareRecv(p.client().fd(), buf.address(), 64, 0)), "recv at EOF again");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void recvWithDontWaitOnAnEmptySocketCompletesWithEagain(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(64);
            Op recv = new Op().prepareRecv(p.client().fd(), buf.address(), 64, LinuxConstants.MSG_DONTWAIT);
            assertEquals(-Errno.EAGAIN, loop.call(recv), "MSG_DONTWAIT recv with nothing to read");
            buf.buffer().put(0, (byte) 7);
            assertEquals(1, loop.call(new Op().prepareSend(p.server().fd(), buf.address(), 1, 0)));
            loop.runFor(Duration.ofMillis(20));
            assertEquals(1, loop.call(recv.prepareRecv(p.client().fd(), buf.address() + 8, 8, LinuxConstants.MSG_DONTWAIT)),
                    "MSG_DONTWAIT recv with a byte waiting");
            assertEquals(7, buf.buffer().get(8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelRightAfterSubmitStillAttemptsTheOpFirst(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(64);
            // A send with room in the socket buffer goes out even when cancelled before the driver ran it.
            Op send = loop.submit(new Op().prepareSend(p.client().fd(), buf.address(), 64, 0));
            assertTrue(loop.driver().cancel(send));
            assertEquals(64, loop.await(send).result(), "send cancelled right after submit");
            // A receive with nothing to read is attempted, finds nothing and is cancelled.
            Op recv = loop.submit(new Op().prepareRecv(p.client().fd(), buf.address(), 64, 0));
            assertTrue(loop.driver().cancel(recv));
            assertEquals(-Errno.ECANCELED, loop.await(recv).result(), "recv cancelled right after submit");
            assertEquals(1, loop.completionsOf(recv));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void connectToClosedPortIsRefused(DriverKind kind) throws Exception {
        InetSocketAddress closedPort;
        try (Socket probe = Socket.tcp(false)) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closedPort = addressOf(probe); // bound, never listening: connections are refused
            try (DriverLoop loop = DriverLoop.open(kind); Socket s = Socket.tcp(false)) {
                Loopback.SockAddr a = Loopback.encode(s, closedPort);
                int r = loop.call(new Op().prepareConnect(s.fd(), a.address(), a.length()));
                assertEquals(-Errno.ECONNREFUSED, r, () -> "connect result " + Errno.name(r));
                IOException e = ErrnoException.of("connect", r);
                assertInstanceOf(ConnectException.class, e);
                assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
                assertEquals(Errno.ECONNREFUSED, ((NativeError) e).code());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void multishotAcceptDeliversHundredConnections(DriverKind kind) throws Exception {
        int n = 100;
        try (DriverLoop loop = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(n + 10);
            InetSocketAddress to = addressOf(listener);
            Op accept = new Op().prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT);
            assertTrue(accept.isMultishot());
            OwnerProbe owner = OwnerProbe.on(loop, accept);
            loop.submit(accept);
            CountDownLatch release = new CountDownLatch(1);
            Thread clients = new Thread(() -> {
                List<java.net.Socket> open = new ArrayList<>();
                try {
                    for (int i = 0; i < n; i++) {
                        open.add(new java.net.Socket(to.getAddress(), to.getPort()));
                    }
                    release.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                } finally {
                    open.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // cleanup
                        }
                    });
                }
            }, "jdk-clients");
            clients.start();
            Set<Integer> fds = new HashSet<>();
            List<DriverLoop.Completed> seen = new ArrayList<>();
            loop.runUntil(() -> {
                while (loop.hasCompletion(accept)) {
                    seen.add(loop.await(accept));
                }
                return seen.size() >= n;
            }, "100 accepted connections");
            for (DriverLoop.Completed c : seen) {
                assertTrue(c.result() >= 0, () -> "accept: " + Errno.name(c.result()));
                assertTrue(c.hasMore(), "an intermediate multishot completion lacks MORE");
                assertTrue(fds.add(c.result()), "descriptor delivered twice: " + c.result());
            }
            assertEquals(n, fds.size());
            owner.assertNotReleased();
            assertTrue(accept.isInFlight(), "multishot accept must stay in flight");
            assertTrue(loop.driver().cancel(accept));
            DriverLoop.Completed last = loop.await(accept);
            assertEquals(-Errno.ECANCELED, last.result(), () -> "final multishot result " + Errno.name(last.result()));
            assertFalse(last.hasMore(), "the final completion must not carry MORE");
            assertFalse(accept.isInFlight());
            owner.assertReleasedOnceAfter(n + 1);
            release.countDown();
            clients.join(JOIN.toMillis());
            for (int fd : fds) {
                Socket.adopt(fd, LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM).close();
            }
            closeQuietly(listener);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void gatheringSendWritesEveryBufferInOrder(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            String[] parts = {"alpha-", "beta-", "", "gamma-and-the-rest"};
            NativeBuffer[] bufs = new NativeBuffer[parts.length];
            NativeBuffer iov = NativeBuffer.allocate(16 * parts.length);
            int total = 0;
            for (int i = 0; i < parts.length; i++) {
                byte[] b = parts[i].getBytes(StandardCharsets.US_ASCII);
                bufs[i] = NativeBuffer.allocate(Math.max(1, b.length));
                bufs[i].buffer().put(0, b);
                iov.buffer().putLong(16 * i, bufs[i].address()).putLong(16 * i + 8, b.length);
                total += b.length;
            }
            int sent = loop.call(new Op().prepareSendv(p.client().fd(), iov.address(), parts.length, 0));
            assertEquals(total, sent);
            NativeBuffer in = NativeBuffer.allocate(total);
            Loopback.recvExactly(loop, p.server().fd(), in.address(), total);
            assertEquals(String.join("", parts), new String(bytes(in, 0, total), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollOpReportsReadiness(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            int out = loop.call(new Op().preparePoll(p.client().fd(), LinuxConstants.POLLOUT));
            assertTrue((out & LinuxConstants.POLLOUT) != 0, "POLLOUT on a fresh connection: " + out);

            Op in = loop.submit(new Op().preparePoll(p.client().fd(), LinuxConstants.POLLIN));
            loop.runFor(Duration.ofMillis(100));
            assertFalse(loop.hasCompletion(in), "POLLIN reported with nothing to read");
            NativeBuffer one = NativeBuffer.allocate(8);
            Loopback.sendAll(loop, p.server().fd(), one.address(), 1);
            int mask = loop.await(in).result();
            assertTrue(mask > 0 && (mask & LinuxConstants.POLLIN) != 0, "POLLIN after data: " + mask);
            assertEquals(0, mask & LinuxConstants.POLLOUT, "only requested events (and ERR/HUP) are reported: " + mask);

            Op rdhup = loop.submit(new Op().preparePoll(p.server().fd(), LinuxConstants.POLLRDHUP));
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(rdhup), "POLLRDHUP before the peer shut down");
            p.client().shutdown(LinuxConstants.SHUT_WR);
            int hup = loop.await(rdhup).result();
            assertTrue((hup & LinuxConstants.POLLRDHUP) != 0, "POLLRDHUP after the peer's shutdown: " + hup);
        }
    }

    /**
     * The arrangement a stream channel uses to notice a peer's close while it is not reading: a POLLRDHUP poll that
     * may wait alongside a receive on the same socket. Data alone completes only the receive; the FIN completes the
     * poll; a poll armed after the FIN completes at once; the data sent before the FIN is still there, then EOF.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollRdhupWaitsAlongsideARecvOnTheSameSocket(DriverKind kind) throws Exception {
        assumeFalse(kind == DriverKind.IOCP, "Windows has no read hang-up readiness (WSAPoll reports a FIN or reset as "
                + "POLLHUP); the Netty layer does not arm a POLLRDHUP poll on IOCP");
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            int fd = p.server().fd();
            NativeBuffer buf = NativeBuffer.allocate(64);
            Op rdhup = loop.submit(new Op().preparePoll(fd, LinuxConstants.POLLRDHUP));
            Op recv = loop.submit(new Op().prepareRecv(fd, buf.address(), 64, 0));
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(rdhup), "POLLRDHUP with nothing sent");
            assertFalse(loop.hasCompletion(recv), "recv with nothing sent");

            NativeBuffer data = NativeBuffer.allocate(8);
            Loopback.sendAll(loop, p.client().fd(), data.address(), 3);
            assertEquals(3, loop.await(recv).result());
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(rdhup), "data alone must not complete a POLLRDHUP poll");

            Loopback.sendAll(loop, p.client().fd(), data.address(), 5);
            p.client().shutdown(LinuxConstants.SHUT_WR);
            int hup = loop.await(rdhup).result();
            assertTrue(hup > 0 && (hup & LinuxConstants.POLLRDHUP) != 0, "POLLRDHUP after the FIN: " + hup);
            assertEquals(0, hup & LinuxConstants.POLLIN, "only requested events (and ERR/HUP) are reported: " + hup);

            int again = loop.call(new Op().preparePoll(fd, LinuxConstants.POLLRDHUP));
            assertTrue(again > 0 && (again & LinuxConstants.POLLRDHUP) != 0, "armed after the FIN: " + again);
            assertEquals(5, loop.call(recv.prepareRecv(fd, buf.address(), 64, LinuxConstants.MSG_DONTWAIT)));
            assertEquals(0, loop.call(recv.prepareRecv(fd, buf.address(), 64, LinuxConstants.MSG_DONTWAIT)), "EOF");
            assertEquals(1, loop.completionsOf(rdhup), "one completion for a one-shot poll");
        }
    }

    /** A reset (peer closed with SO_LINGER 0) completes a waiting POLLRDHUP poll too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollRdhupReportsAReset(DriverKind kind) throws Exception {
        assumeFalse(kind == DriverKind.IOCP, "Windows has no read hang-up readiness (WSAPoll reports a FIN or reset as "
                + "POLLHUP); the Netty layer does not arm a POLLRDHUP poll on IOCP");
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            Op rdhup = loop.submit(new Op().preparePoll(p.server().fd(), LinuxConstants.POLLRDHUP));
            loop.runFor(Duration.ofMillis(30));
            assertFalse(loop.hasCompletion(rdhup));
            p.client().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            p.client().close();
            int mask = loop.await(rdhup).result();
            assertTrue(mask > 0 && (mask & LinuxConstants.POLLRDHUP) != 0, "POLLRDHUP after a reset: " + mask);
        }
    }

    /** A waiting POLLRDHUP poll that is cancelled completes once, with -ECANCELED, and only then is released. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelledRdhupPollCompletesOnceWithEcanceled(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            Op rdhup = new Op().preparePoll(p.server().fd(), LinuxConstants.POLLRDHUP);
            OwnerProbe owner = OwnerProbe.on(loop, rdhup);
            loop.submit(rdhup);
            loop.runFor(Duration.ofMillis(30));
            assertTrue(loop.driver().cancel(rdhup));
            owner.assertNotReleased();
            assertEquals(-Errno.ECANCELED, loop.await(rdhup).result());
            owner.assertReleasedOnceAfter(1);
            p.client().shutdown(LinuxConstants.SHUT_WR);
            loop.runFor(Duration.ofMillis(50));
            assertEquals(1, loop.completionsOf(rdhup), "no completion after the cancelled one");
            assertEquals(0, loop.driver().inFlight());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void acceptWritesPeerAddress(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(4);
            NativeBuffer addr = NativeBuffer.allocate(128);
            NativeBuffer len = NativeBuffer.allocate(8);
            len.buffer().putInt(0, 128);
            Op accept = loop.submit(new Op().prepareAccept(listener.fd(), addr.address(), len.address(), 0));
            Socket c = Loopback.connect(loop, addressOf(listener));
            int fd = loop.await(accept).result();
            assertTrue(fd >= 0, () -> Errno.name(fd));
            InetSocketAddress peer = (InetSocketAddress) dev.proactor.runtime.net.SocketAddresses.read(addr.buffer(), 0, len.buffer().getInt(0));
            assertEquals(addressOf(c), peer);
            Socket.adopt(fd, LinuxConstants.AF_INET, LinuxConstants.SOCK_STREAM).close();
            c.close();
            closeQuietly(listener);
        }
    }
}
