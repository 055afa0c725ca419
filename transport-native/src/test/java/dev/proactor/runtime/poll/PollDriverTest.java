package dev.proactor.runtime.poll;

import java.util.List;

import java.util.ArrayList;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.conformance.DriverLoop;
import dev.proactor.runtime.conformance.Loopback;
import dev.proactor.runtime.conformance.OwnerProbe;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is specific to the epoll driver: its queues, its CLOSE semantics and descriptor-number reuse. */
@EnabledOnOs(OS.LINUX)
class PollDriverTest {
    private DriverLoop loop;

    @BeforeEach
    void open() {
        assertNull(PollDriver.unavailabilityCause());
        loop = new DriverLoop(Drivers.open(DriverConfig.defaults().withKind(DriverKind.POLL)));
    }

    @AfterEach
    void close() {
        loop.close();
    }

    private static String text(NativeBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.buffer().get(off, out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    private void send(Socket s, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        NativeBuffer buf = NativeBuffer.allocate(b.length);
        buf.buffer().put(0, b);
        Loopback.sendAll(loop, s.fd(), buf.address(), b.length);
    }

    @Test
    void queuedReceivesCompleteInSubmissionOrderOnOneEdge() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(12);
            Op a = loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 4, 0));
            Op b = loop.submit(new Op().prepareRecv(p.client().fd(), in.address() + 4, 4, 0));
            Op c = loop.submit(new Op().prepareRecv(p.client().fd(), in.address() + 8, 4, 0));
            loop.runFor(Duration.ofMillis(30));
            assertEquals(0, loop.completions().size() - 2); // only the pair's connect and accept so far
            send(p.server(), "aaaabbbbcccc");
            assertEquals(4, loop.await(a).result());
            assertEquals(4, loop.await(b).result());
            assertEquals(4, loop.await(c).result());
            assertEquals("aaaabbbbcccc", text(in, 0, 12));
        }
    }

    @Test
    void cancelInTheMiddleOfAQueueKeepsTheOthersInOrder() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(12);
            Op a = loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 4, 0));
            Op b = loop.submit(new Op().prepareRecv(p.client().fd(), in.address() + 4, 4, 0));
            Op c = loop.submit(new Op().prepareRecv(p.client().fd(), in.address() + 8, 4, 0));
            loop.runFor(Duration.ofMillis(20));
            assertTrue(loop.driver().cancel(b));
            assertEquals(-Errno.ECANCELED, loop.await(b).result());
            send(p.server(), "11112222");
            assertEquals(4, loop.await(a).result());
            assertEquals(4, loop.await(c).result());
            assertEquals("1111", text(in, 0, 4));
            assertEquals("2222", text(in, 8, 4));
        }
    }

    /** The documented choice: a CLOSE op cancels what waits on the descriptor, without an explicit cancel. */
    @Test
    void closeOpCancelsOperationsQueuedOnTheDescriptor() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(16);
            Op recv = new Op().prepareRecv(p.client().fd(), in.address(), 16, 0);
            Op poll = new Op().preparePoll(p.client().fd(), LinuxConstants.POLLIN);
            OwnerProbe recvOwner = OwnerProbe.on(loop, recv);
            OwnerProbe pollOwner = OwnerProbe.on(loop, poll);
            loop.submit(recv);
            loop.submit(poll);
            loop.runFor(Duration.ofMillis(20));
            Op close = loop.submit(new Op().prepareClose(p.client().detach()));
            assertEquals(0, loop.await(close).result());
            assertEquals(-Errno.ECANCELED, loop.await(recv).result());
            assertEquals(-Errno.ECANCELED, loop.await(poll).result());
            recvOwner.assertReleasedOnceAfter(1);
            pollOwner.assertReleasedOnceAfter(1);
            assertEquals(0, loop.driver().inFlight());
        }
    }

    /** A number freed by a CLOSE op and handed out again is registered again for the new socket. */
    @Test
    void descriptorNumberReusedAfterCloseOpIsRegisteredAgain() {
        Loopback.Pair first = Loopback.pair(loop);
        NativeBuffer in = NativeBuffer.allocate(16);
        int n = first.client().fd();
        Op wait = loop.submit(new Op().prepareRecv(n, in.address(), 16, 0));
        loop.runFor(Duration.ofMillis(20)); // now registered, waiting
        assertTrue(loop.driver().cancel(wait));
        loop.await(wait);
        assertEquals(0, loop.call(new Op().prepareClose(first.client().detach())));
        first.close();
        try (Loopback.Pair second = Loopback.pair(loop)) {
            int m = second.client().fd();
            Op recv = loop.submit(new Op().prepareRecv(m, in.address(), 16, 0));
            loop.runFor(Duration.ofMillis(20));
            send(second.server(), "again");
            assertEquals(5, loop.await(recv).result(), "recv on fd " + m + " (first socket had " + n + ")");
            assertEquals("again", text(in, 0, 5));
        }
    }

    /** A number freed by a plain close(2) outside the driver is recognised when accept hands it out again. */
    @Test
    void descriptorNumberReusedAfterOutsideCloseIsRegisteredAgainOnAccept() throws Exception {
        Socket listener = Loopback.listener(8);
        List<Socket> peers = new ArrayList<>();
        peers.add(Loopback.connect(loop, Loopback.addressOf(listener)));
        Socket old = Loopback.accept(loop, listener);
        NativeBuffer in = NativeBuffer.allocate(16);
        // Another thread of the JVM may open a file between the close and the accept and take the number: try again.
        for (int attempt = 1; ; attempt++) {
            int n = old.fd();
            Op wait = loop.submit(new Op().prepareRecv(n, in.address(), 16, 0)); // registers n with epoll
            loop.runFor(Duration.ofMillis(20));
            assertTrue(loop.driver().cancel(wait));
            loop.await(wait);
            Socket peer = Loopback.connect(loop, Loopback.addressOf(listener)); // waits in the backlog
            peers.add(peer);
            // Earlier tests leave holes in the descriptor table: fill those below n so that accept gets n.
            List<Integer> fillers = new ArrayList<>();
            int f;
            while ((f = LibC.open("/dev/null", LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0)) < n) {
                assertTrue(f >= 0, "open(/dev/null) failed");
                fillers.add(f);
            }
            LibC.close(f); // the first number above n
            old.close(); // behind the driver's back
            Socket reused = Loopback.accept(loop, listener);
            fillers.forEach(LibC::close);
            if (reused.fd() != n) {
                assertTrue(attempt < 5, "the freed number " + n + " was taken by another file five times");
                old = reused;
                continue;
            }
            Op recv = loop.submit(new Op().prepareRecv(reused.fd(), in.address(), 16, 0));
            loop.runFor(Duration.ofMillis(20));
            NativeBuffer out = NativeBuffer.allocate(3);
            out.buffer().put(0, "new".getBytes(StandardCharsets.US_ASCII));
            Loopback.sendAll(loop, peer.fd(), out.address(), 3);
            assertEquals(3, loop.await(recv).result());
            reused.close();
            break;
        }
        for (Socket p : peers) {
            p.close();
        }
        listener.close();
    }

    /**
     * epoll keys registrations by (file, number): a dup keeps the old file's registration alive after the
     * number is closed. Its events must not be taken for readiness of the new file that gets the number.
     */
    @Test
    void eventsOfAnEarlierFileWithTheSameNumberAreIgnored() throws Exception {
        Loopback.Pair old = Loopback.pair(loop);
        int n = old.client().fd();
        int dup = LibC.dup(n);
        assertTrue(dup >= 0);
        Op poll = loop.submit(new Op().preparePoll(n, LinuxConstants.POLLIN));
        loop.runFor(Duration.ofMillis(20)); // registered (file, n)
        assertTrue(loop.driver().cancel(poll));
        loop.await(poll);
        Socket listener = Loopback.listener(4);
        assertEquals(0, loop.call(new Op().prepareClose(old.client().detach())));
        Socket reused = Loopback.connect(loop, Loopback.addressOf(listener)); // the lowest free number: n
        Socket accepted = Loopback.accept(loop, listener);
        try {
            assertEquals(n, reused.fd(), "expected number " + n + " to be reused");
            Op pollNew = loop.submit(new Op().preparePoll(n, LinuxConstants.POLLIN));
            loop.runFor(Duration.ofMillis(20));
            send(old.server(), "to the old file"); // readiness of the dup'ed old socket, still registered as n
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(pollNew), "the old file's readiness completed a poll on the new one");
            send(accepted, "x");
            assertEquals(LinuxConstants.POLLIN, loop.await(pollNew).result(), "the new file's own readiness");
        } finally {
            LibC.close(dup);
            old.close();
            reused.close();
            accepted.close();
            listener.close();
        }
    }

    @Test
    void spliceFromAnEmptyPipeWaitsForInput() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer fds = NativeBuffer.allocate(8);
            assertEquals(0, LibC.pipe2(fds.address(), LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC));
            int r = fds.buffer().getInt(0);
            int w = fds.buffer().getInt(4);
            Op splice = loop.submit(new Op().prepareSplice(r, Op.NO_OFFSET, p.client().fd(), Op.NO_OFFSET, 100, 0));
            loop.runFor(Duration.ofMillis(30));
            assertFalse(loop.hasCompletion(splice), "splice from an empty pipe completed");
            NativeBuffer out = NativeBuffer.allocate(6);
            out.buffer().put(0, "spliced".getBytes(StandardCharsets.US_ASCII), 0, 6);
            assertEquals(6, loop.call(new Op().prepareWrite(w, out.address(), 6, Op.NO_OFFSET)));
            assertEquals(6, loop.await(splice).result());
            NativeBuffer in = NativeBuffer.allocate(6);
            Loopback.recvExactly(loop, p.server().fd(), in.address(), 6);
            assertEquals("splice", text(in, 0, 6));
            LibC.close(r);
            LibC.close(w);
        }
    }

    @Test
    void cancelOfConnectInProgress() throws Exception {
        // 192.0.2.1 (TEST-NET-1) is not routed: the SYN goes nowhere and the connect stays in progress.
        try (Socket s = Socket.tcp(false)) {
            Loopback.SockAddr a = Loopback.encode(s, new java.net.InetSocketAddress("192.0.2.1", 9));
            Op connect = new Op().prepareConnect(s.fd(), a.address(), a.length());
            OwnerProbe owner = OwnerProbe.on(loop, connect);
            loop.submit(connect);
            loop.runFor(Duration.ofMillis(50));
            if (loop.hasCompletion(connect)) {
                int r = loop.await(connect).result(); // no route at all here: fine, but nothing to cancel
                assertTrue(r < 0, () -> "connect to TEST-NET-1 succeeded?");
                return;
            }
            assertTrue(loop.driver().cancel(connect));
            assertEquals(-Errno.ECANCELED, loop.await(connect).result());
            owner.assertReleasedOnceAfter(1);
        }
    }

    /** Connecting a socket renews its epoll registration; a receive that was already waiting must move with it. */
    @Test
    void receiveWaitingOnAUdpSocketCompletesAfterTheSocketIsConnected() throws Exception {
        try (Socket receiver = Socket.udp(false); java.net.DatagramSocket sender = new java.net.DatagramSocket(
                new java.net.InetSocketAddress("127.0.0.1", 0))) {
            receiver.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            NativeBuffer in = NativeBuffer.allocate(16);
            Op recv = loop.submit(new Op().prepareRecv(receiver.fd(), in.address(), 16, 0));
            loop.runFor(Duration.ofMillis(20));
            assertFalse(loop.hasCompletion(recv));
            Loopback.SockAddr peer = Loopback.encode(receiver, (java.net.InetSocketAddress) sender.getLocalSocketAddress());
            Op connect = loop.submit(new Op().prepareConnect(receiver.fd(), peer.address(), peer.length()));
            assertEquals(0, loop.await(connect).result());
            byte[] data = "after".getBytes(StandardCharsets.US_ASCII);
            sender.send(new java.net.DatagramPacket(data, data.length, receiver.localAddress()));
            assertEquals(data.length, loop.await(recv).result());
            assertEquals("after", text(in, 0, data.length));
        }
    }

    @Test
    void multishotAcceptCancelledFromItsOwnHandler() throws Exception {
        Socket listener = Loopback.listener(8);
        int[] seen = {0};
        Op accept = new Op();
        accept.prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT).attach((dev.proactor.runtime.conformance.Reaction) (o, r, f) -> {
            seen[0]++;
            if (r >= 0) {
                LibC.close(r);
                loop.driver().cancel(o);
            }
        });
        OwnerProbe owner = OwnerProbe.on(loop, accept);
        loop.submit(accept);
        java.net.InetSocketAddress to = Loopback.addressOf(listener);
        java.net.Socket a = new java.net.Socket(to.getAddress(), to.getPort());
        java.net.Socket b = new java.net.Socket(to.getAddress(), to.getPort());
        loop.runUntil(() -> !accept.isInFlight(), "the multishot accept to end");
        assertEquals(2, seen[0], "one connection, then the cancellation");
        owner.assertReleasedOnceAfter(2);
        a.close();
        b.close();
        listener.close();
    }

    @Test
    void aMultishotReceiveFillsAtMostABurstOfBuffersPerPoll() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            int total = 128 * 1024;
            Loopback.sendAll(loop, p.server().fd(), NativeBuffer.allocate(total).address(), total);
            BufferRing ring = loop.driver().registerBufferRing(1, 4, 1024);
            Op recv = new Op().prepareRecvMultishot(p.client().fd(), 1, 0);
            int[] completions = {0};
            long[] received = {0};
            CompletionHandler handler = (op, r, f) -> {
                completions[0]++;
                if (Completion.hasBuffer(f)) {
                    received[0] += r;
                    ring.recycle(Completion.bufferId(f));
                }
            };
            loop.driver().submit(recv);
            int most = 0;
            int polls = 0;
            while (received[0] < total) {
                completions[0] = 0;
                loop.driver().poll(1_000_000L, handler);
                most = Math.max(most, completions[0]);
                assertTrue(++polls < 10_000, "stuck after " + received[0] + " bytes");
            }
            assertEquals(32, most, "buffers filled by one poll while 128 were ready");
            assertTrue(recv.isInFlight(), "the multishot goes on after each burst");
            assertTrue(loop.driver().cancel(recv));
            loop.runUntil(() -> !recv.isInFlight(), "the cancelled receive");
        }
    }

    @Test
    void aSendSubmittedByAHandlerIsMadeAndDeliveredInTheSamePoll() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer out = NativeBuffer.allocate(5);
            out.buffer().put(0, "hello".getBytes(StandardCharsets.US_ASCII));
            Op send = new Op().prepareSend(p.server().fd(), out.address(), 5, 0);
            List<Op> order = new ArrayList<>();
            Op nop = new Op().prepareNop();
            CompletionHandler handler = (op, r, f) -> {
                order.add(op);
                if (op == nop) {
                    loop.driver().submit(send);
                    assertTrue(send.isInFlight());
                    assertEquals(List.of(nop), order, "the send's completion waits until this handler returns");
                }
            };
            loop.driver().submit(nop);
            long calls = loop.driver().stats().directCalls();
            assertEquals(2, loop.driver().poll(0, handler));
            assertEquals(List.of(nop, send), order);
            assertEquals(calls + 1, loop.driver().stats().directCalls(), "one send(2)");
            NativeBuffer in = NativeBuffer.allocate(8);
            assertEquals(5, loop.await(loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 8, 0))).result());
            assertEquals("hello", text(in, 0, 5));
        }
    }

    @Test
    void aHandlerThatResubmitsForeverStillLetsPollReturn() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(8);
            Op recv = new Op().prepareRecv(p.client().fd(), in.address(), 8, LinuxConstants.MSG_DONTWAIT);
            int[] eagain = {0};
            CompletionHandler handler = (op, r, f) -> {
                assertEquals(-Errno.EAGAIN, r);
                eagain[0]++;
                loop.driver().submit(op.prepareRecv(p.client().fd(), in.address(), 8, LinuxConstants.MSG_DONTWAIT));
            };
            loop.driver().submit(recv);
            int delivered = loop.driver().poll(0, handler);
            assertTrue(delivered > 1 && delivered < 5_000, delivered + " completions in one poll");
            assertEquals(delivered, eagain[0]);
            assertTrue(recv.isInFlight(), "the last resubmission waits for the next poll");
            loop.driver().poll(0, (op, r, f) -> { });
        }
    }

    @Test
    void aReadabilityPollAfterADrainingReceiveWaitsWithoutACall() {
        try (Loopback.Pair p = Loopback.pair(loop)) {
            NativeBuffer in = NativeBuffer.allocate(16);
            send(p.server(), "abc");
            assertEquals(3, loop.await(loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 16, 0))).result());
            long calls = loop.driver().stats().directCalls();
            long waits = ((PollDriver) loop.driver()).pollFirstWaits();
            Op readable = loop.submit(new Op().preparePoll(p.client().fd(), LinuxConstants.POLLIN).pollFirst());
            loop.runFor(Duration.ofMillis(30));
            assertTrue(readable.isInFlight());
            assertEquals(calls, loop.driver().stats().directCalls(), "no poll(2): the socket was just found empty");
            assertEquals(waits + 1, ((PollDriver) loop.driver()).pollFirstWaits());
            send(p.server(), "de");
            assertEquals(LinuxConstants.POLLIN, loop.await(readable).result() & LinuxConstants.POLLIN);
            assertEquals(2, loop.await(loop.submit(new Op().prepareRecv(p.client().fd(), in.address(), 16,
                    LinuxConstants.MSG_DONTWAIT))).result());
        }
    }
}
