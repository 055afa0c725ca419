package dev.proactor.runtime.uring;

import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** io_uring-specific behaviour of {@link UringDriver}, against the real kernel. */
@Timeout(60)
@EnabledOnOs(OS.LINUX)
class UringDriverTest {
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;

    private final List<Driver> drivers = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (Driver d : drivers) {
            d.close();
        }
        for (int fd : fds) {
            LibC.close(fd);
        }
        System.clearProperty(UringOptions.DISABLE);
        System.clearProperty(UringOptions.MULTISHOT_ACCEPT);
        System.clearProperty(UringOptions.EXT_ARG);
        System.clearProperty(UringOptions.SINGLE_ISSUER);
    }

    UringDriver open(int sq, int cq) {
        UringDriver d = (UringDriver) UringDriver.open(DriverConfig.defaults().withKind(DriverKind.IO_URING)
                .withSubmissionEntries(sq).withCompletionEntries(cq));
        drivers.add(d);
        return d;
    }

    UringDriver open() {
        return open(64, 256);
    }

    /** A connected AF_UNIX stream pair, both non-blocking. */
    private int[] socketPair() {
        NativeBuffer b = NativeBuffer.allocate(8);
        int r = LibC.socketpair(LinuxConstants.AF_UNIX,
                LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, 0, b.address());
        assertEquals(0, r, () -> "socketpair: " + Errno.name(LibC.errno()));
        int[] pair = {b.buffer().getInt(0), b.buffer().getInt(4)};
        fds.add(pair[0]);
        fds.add(pair[1]);
        return pair;
    }

    /** Fills fd's send buffer until the kernel says EAGAIN. */
    private static void fill(int fd) {
        NativeBuffer chunk = NativeBuffer.allocate(65536);
        while (LibC.send(fd, chunk.address(), 65536, LinuxConstants.MSG_DONTWAIT) > 0) {
            // keep going
        }
        assertEquals(Errno.EAGAIN, LibC.errno());
    }

    /** Records completions in order: "code:result" strings and the op's flags. */
    private static final class Recorder implements CompletionHandler {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<Integer> results = new ArrayList<>();
        final List<Integer> flags = new ArrayList<>();
        int count;

        @Override
        public void complete(Op op, int result, int fl) {
            count++;
            results.add(result);
            flags.add(fl);
            events.add("complete:" + op.attachment() + ":" + result);
        }
    }

    private static int pollUntil(Driver d, CompletionHandler h, java.util.function.BooleanSupplier done) {
        int total = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for completions");
            total += d.poll(100_000_000L, h);
        }
        return total;
    }

    // ------------------------------------------------------------------------------------------ probe, setup

    @Test
    void probeSaysAvailableHere() {
        assertNull(UringDriver.unavailabilityCause(), "io_uring should be usable on this machine");
    }

    @Test
    void usesTheKernelFeaturesThisMachineHas() {
        UringDriver d = open();
        int flags = d.setupFlags();
        assertNotEquals(0, flags & UringConstants.SETUP_SINGLE_ISSUER, d::toString);
        assertNotEquals(0, flags & UringConstants.SETUP_DEFER_TASKRUN, d::toString);
        assertNotEquals(0, flags & UringConstants.SETUP_SUBMIT_ALL, d::toString);
        assertTrue(d.usesRegisteredRingFd(), d::toString);
        assertTrue(d.usesExtArg(), d::toString);
        assertTrue(d.nativeMultishotAccept(), d::toString);
        assertEquals(DriverKind.IO_URING, d.kind());
    }

    @Test
    void disablePropertyGivesAClearError() {
        System.setProperty(UringOptions.DISABLE, "true");
        DriverUnavailableException why = UringDriver.unavailabilityCause();
        assertNotNull(why);
        assertEquals(DriverKind.IO_URING, why.kind());
        assertTrue(why.getMessage().contains("disabled by -Dproactor.uring.disable"), why.getMessage());
        DriverUnavailableException thrown = assertThrows(DriverUnavailableException.class,
                () -> UringDriver.open(DriverConfig.defaults()));
        assertTrue(thrown.getMessage().contains("disabled by -Dproactor.uring.disable"), thrown.getMessage());
    }

    @Test
    void setupErrorsNameTheErrnoAndTheLikelyCause() {
        String eperm = UringProbe.setupFailure(Errno.EPERM).getMessage();
        assertTrue(eperm.contains("EPERM") && (eperm.contains("seccomp") || eperm.contains("io_uring_disabled")), eperm);
        String enosys = UringProbe.setupFailure(Errno.ENOSYS).getMessage();
        assertTrue(enosys.contains("ENOSYS") && enosys.contains("CONFIG_IO_URING"), enosys);
        String enomem = UringProbe.setupFailure(Errno.ENOMEM).getMessage();
        assertTrue(enomem.contains("ENOMEM") && enomem.contains("ulimit -l"), enomem);
    }

    @Test
    void otherThreadsAreRejectedWithBothNames() throws Exception {
        UringDriver d = open();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                d.submit(new Op().prepareNop());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "intruder-thread");
        t.start();
        t.join();
        assertInstanceOf(IllegalStateException.class, failure.get());
        String m = failure.get().getMessage();
        assertTrue(m.contains("intruder-thread") && m.contains(Thread.currentThread().getName()), m);
        for (Runnable call : new Runnable[] {() -> d.poll(0, (op, r, f) -> { }), () -> d.cancel(new Op()), d::close}) {
            failure.set(null);
            Thread u = new Thread(() -> {
                try {
                    call.run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "intruder-thread");
            u.start();
            u.join();
            assertInstanceOf(IllegalStateException.class, failure.get());
        }
        assertEquals(0, d.inFlight());
    }

    // ------------------------------------------------------------------------------------------ NOPs, rings

    @Test
    void nopRoundTrip() {
        UringDriver d = open();
        List<String> order = new ArrayList<>();
        Op op = new Op("nop").prepareNop().owner(() -> order.add("release"));
        d.submit(op);
        assertEquals(1, d.inFlight());
        int n = d.poll(-1, (o, r, f) -> {
            assertSame(op, o);
            assertFalse(o.isInFlight());
            order.add("complete:" + r + ":" + f);
        });
        assertEquals(1, n);
        assertEquals(List.of("complete:0:0", "release"), order);
        assertEquals(0, d.inFlight());
        assertEquals(1, d.completions());
        assertEquals(1, d.submittedOps());
    }

    @Test
    void tenThousandNopsThroughASmallSubmissionQueue() {
        UringDriver d = open(8, 4096);
        int total = 10_000;
        int[] seen = new int[total];
        AtomicInteger released = new AtomicInteger();
        for (int i = 0; i < total; i++) {
            d.submit(new Op(i).prepareNop().owner(released::incrementAndGet));
        }
        AtomicInteger delivered = new AtomicInteger();
        pollUntil(d, (op, r, f) -> {
            assertEquals(0, r);
            seen[(Integer) op.attachment()]++;
            delivered.incrementAndGet();
        }, () -> delivered.get() >= total);
        assertEquals(0, d.poll(0, (op, r, f) -> fail("extra completion " + op)));
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen[i], "op " + i);
        }
        assertEquals(total, released.get());
        assertEquals(0, d.inFlight());
    }

    @Test
    void resubmittingFromTheHandlerThroughASmallQueue() {
        UringDriver d = open(8, 16);
        int total = 10_000;
        AtomicInteger delivered = new AtomicInteger();
        CompletionHandler h = (op, r, f) -> {
            if (delivered.incrementAndGet() + d.inFlight() < total) {
                d.submit(op.prepareNop());
            }
        };
        for (int i = 0; i < 32; i++) {
            d.submit(new Op().prepareNop());
        }
        pollUntil(d, h, () -> delivered.get() >= total);
        assertEquals(total, delivered.get());
        assertEquals(0, d.inFlight());
    }

    @Test
    void completionQueueOverflowLosesNothing() {
        UringDriver d = open(2, 4);
        int total = 500;
        int[] seen = new int[total];
        for (int i = 0; i < total; i++) {
            d.submit(new Op(i).prepareNop());
        }
        AtomicInteger delivered = new AtomicInteger();
        pollUntil(d, (op, r, f) -> {
            seen[(Integer) op.attachment()]++;
            delivered.incrementAndGet();
        }, () -> delivered.get() >= total);
        assertEquals(0, d.poll(0, (op, r, f) -> fail("extra completion " + op)));
        for (int i = 0; i < total; i++) {
            assertEquals(1, seen[i], "op " + i);
        }
        assertTrue(d.overflowFlushes() > 0, "the CQ (4 entries) should have overflowed");
        assertEquals(0, d.inFlight());
    }

    @Test
    void onePollIsOneEnter() {
        UringDriver d = open(128, 256);
        Op[] batch = new Op[64];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = new Op();
        }
        for (int round = 0; round < 100; round++) {
            for (Op op : batch) {
                d.submit(op.prepareNop());
            }
            long before = d.enterCalls();
            assertEquals(64, d.poll(-1, (op, r, f) -> { }));
            assertEquals(before + 1, d.enterCalls(), "round " + round);
        }
        long before = d.enterCalls();
        assertEquals(0, d.poll(0, (op, r, f) -> { }));
        assertEquals(before + 1, d.enterCalls(), "an empty CQ needs one enter to look for completions");
    }

    @Test
    void steadyStateAllocatesNothingPerOp() {
        UringDriver d = open(128, 256);
        Op[] batch = new Op[64];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = new Op();
        }
        int[] completed = new int[1];
        CompletionHandler h = (op, r, f) -> completed[0]++;
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        int rounds = 2000;
        for (int round = 0; round < 2 * rounds; round++) {
            if (round == rounds) {
                before = threads.getCurrentThreadAllocatedBytes(); // after warm-up
            }
            for (Op op : batch) {
                d.submit(op.prepareNop());
            }
            completed[0] = 0;
            while (completed[0] < batch.length) {
                d.poll(-1, h);
            }
        }
        long perOp = (threads.getCurrentThreadAllocatedBytes() - before) / ((long) rounds * batch.length);
        assertEquals(0, perOp, "bytes allocated per NOP submitted and completed");
    }

    @Test
    void noEnterWhenCompletionsAreWaitingAndNothingToSubmit() {
        UringDriver d = open();
        for (int i = 0; i < 3; i++) {
            d.submit(new Op().prepareNop());
        }
        d.flushSubmissions();
        long before = d.enterCalls();
        assertEquals(3, d.poll(0, (op, r, f) -> { }));
        assertEquals(before, d.enterCalls());
    }

    // ------------------------------------------------------------------------------------------ timeouts, wake

    @Test
    void timeoutOpGivesEtime() {
        UringDriver d = open();
        Recorder rec = new Recorder();
        d.submit(new Op("t").prepareTimeout(10_000_000L));
        pollUntil(d, rec, () -> rec.count == 1);
        assertEquals(List.of(-Errno.ETIME), rec.results);
    }

    @Test
    void timedPollReturnsZeroWhenNothingCompletes() {
        UringDriver d = open();
        assertEquals(0, d.poll(20_000_000L, (op, r, f) -> fail("nothing was submitted")));
    }

    @Test
    void timedPollWithoutExtArgUsesATimeoutSqe() {
        System.setProperty(UringOptions.EXT_ARG, "false");
        UringDriver d = open();
        assertFalse(d.usesExtArg());
        assertEquals(0, d.poll(20_000_000L, (op, r, f) -> fail("nothing was submitted")));
        Recorder rec = new Recorder();
        d.submit(new Op("t").prepareTimeout(5_000_000L));
        pollUntil(d, rec, () -> rec.count == 1);
        assertEquals(List.of(-Errno.ETIME), rec.results);
        d.close();
        assertEquals(0, d.inFlight());
    }

    @Test
    void wakeFromAnotherThreadEndsAnUnboundedPoll() throws Exception {
        UringDriver d = open();
        for (int round = 0; round < 3; round++) {
            Thread t = new Thread(() -> {
                sleep(50);
                d.wake();
                d.wake();
            });
            t.start();
            assertEquals(0, d.poll(-1, (op, r, f) -> fail("nothing was submitted")));
            t.join();
            // the wake is consumed: a short timed poll must time out rather than return early forever
            d.poll(10_000_000L, (op, r, f) -> fail("nothing was submitted"));
        }
    }

    @Test
    void wakeOnTheOwnerThreadMakesTheNextPollReturnAtOnce() {
        UringDriver d = open();
        d.wake();
        assertEquals(0, d.poll(-1, (op, r, f) -> fail("nothing was submitted")));
    }

    // ------------------------------------------------------------------------------------------ cancel, close

    @Test
    void cancelledRecvCompletesWithEcanceledAndReleasesAfterwards() {
        UringDriver d = open();
        int[] pair = socketPair();
        NativeBuffer buf = NativeBuffer.allocate(64);
        List<String> order = new CopyOnWriteArrayList<>();
        Op recv = new Op("recv").prepareRecv(pair[0], buf.address(), 64, 0).owner(() -> order.add("release"));
        d.submit(recv);
        assertEquals(0, d.poll(0, (op, r, f) -> fail("recv must still be pending")));
        assertTrue(d.cancel(recv));
        assertTrue(order.isEmpty(), "owner released before the final completion");
        Recorder rec = new Recorder();
        pollUntil(d, (op, r, f) -> {
            order.add("complete:" + r);
            rec.complete(op, r, f);
        }, () -> rec.count == 1);
        assertEquals(List.of("complete:" + -Errno.ECANCELED, "release"), order);
        assertFalse(d.cancel(recv), "no longer in flight");
        assertEquals(0, d.inFlight());
    }

    @Test
    void cancelOfAnIdleOpReturnsFalse() {
        UringDriver d = open();
        assertFalse(d.cancel(new Op().prepareNop()));
    }

    @Test
    void closeWithRecvAndSendInFlightReleasesEachOwnerOnce() {
        UringDriver d = open();
        int[] quiet = socketPair();
        int[] full = socketPair();
        fill(full[0]);
        NativeBuffer rbuf = NativeBuffer.allocate(64);
        NativeBuffer sbuf = NativeBuffer.allocate(65536);
        AtomicInteger recvReleased = new AtomicInteger();
        AtomicInteger sendReleased = new AtomicInteger();
        d.submit(new Op().prepareRecv(quiet[0], rbuf.address(), 64, 0).owner(recvReleased::incrementAndGet));
        d.submit(new Op().prepareSend(full[0], sbuf.address(), 65536, 0).owner(sendReleased::incrementAndGet));
        assertEquals(0, d.poll(10_000_000L, (op, r, f) -> fail("both must be pending: " + op + " " + r)));
        assertEquals(2, d.inFlight());
        d.close();
        assertEquals(1, recvReleased.get());
        assertEquals(1, sendReleased.get());
        assertEquals(0, d.inFlight());
        d.close(); // idempotent
        assertEquals(1, recvReleased.get());
        assertEquals(1, sendReleased.get());
        assertThrows(IllegalStateException.class, () -> d.submit(new Op().prepareNop()));
        assertThrows(IllegalStateException.class, () -> d.poll(0, (op, r, f) -> { }));
        d.wake(); // harmless after close
    }

    @Test
    void closeReleasesARecvOwnerOnlyWhenTheKernelNoLongerReadsIntoItsBuffer() {
        closeReleasesARecvOwnerOnlyWhenTheKernelIsDone(open());
    }

    @Test
    void closeReleasesARecvOwnerOnlyWhenTheKernelIsDoneWithoutDeferredTaskRun() {
        // Without DEFER_TASKRUN the kernel retries a recv whenever this thread passes through a syscall.
        System.setProperty(UringOptions.SINGLE_ISSUER, "false");
        UringDriver d = open();
        assertEquals(0, d.setupFlags() & UringConstants.SETUP_DEFER_TASKRUN);
        closeReleasesARecvOwnerOnlyWhenTheKernelIsDone(d);
    }

    private void closeReleasesARecvOwnerOnlyWhenTheKernelIsDone(UringDriver d) {
        int[] pair = socketPair();
        NativeBuffer buf = NativeBuffer.allocate(64);
        NativeBuffer x = NativeBuffer.allocate(1);
        x.buffer().put(0, (byte) 'X');
        // On release, the owner sends a byte to the recv's socket: a recv still pending in the kernel would take it.
        d.submit(new Op().prepareRecv(pair[0], buf.address(), 64, 0)
                .owner(() -> {
                    assertEquals(1, LibC.send(pair[1], x.address(), 1, 0));
                    LibC.getpid(); // one more kernel round trip, in which pending task work would run
                }));
        assertEquals(0, d.poll(10_000_000L, (op, r, f) -> fail("recv must be pending")));
        d.close();
        NativeBuffer in = NativeBuffer.allocate(8);
        assertEquals(1, LibC.recv(pair[0], in.address(), 8, LinuxConstants.MSG_DONTWAIT), "the byte must still be in the socket");
        assertEquals('X', in.buffer().get(0));
        assertEquals(0, buf.buffer().get(0), "the cancelled recv wrote into its buffer");
    }

    @Test
    void closeLeaksRatherThanFreesWhenTheKernelDoesNotAnswer() {
        UringDriver d = open();
        int[] pair = socketPair();
        NativeBuffer buf = NativeBuffer.allocate(64);
        AtomicInteger released = new AtomicInteger();
        Op recv = new Op().prepareRecv(pair[0], buf.address(), 64, 0).owner(released::incrementAndGet);
        d.submit(recv);
        // No cancel is sent, so the recv stays pending: to the driver, the kernel never answers.
        assertFalse(d.shutdown(200_000_000L, false));
        assertEquals(0, released.get(), "an owner whose op the kernel may still use must never be released");
        assertEquals(1, d.inFlight());
        assertTrue(recv.isInFlight());
        d.close(); // already closed: nothing more happens
        assertEquals(0, released.get());
        assertThrows(IllegalStateException.class, () -> d.submit(new Op().prepareNop()));
    }

    @Test
    void closeWithQueuedButUnsubmittedOpsReleasesThem() {
        UringDriver d = open();
        AtomicInteger released = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            d.submit(new Op().prepareTimeout(60_000_000_000L).owner(released::incrementAndGet));
        }
        d.close();
        assertEquals(10, released.get());
    }

    // ------------------------------------------------------------------------------------------ accept

    @Test
    void multishotAcceptOfAHundredConnections() throws Exception {
        acceptHundred(open());
    }

    @Test
    void emulatedMultishotAcceptOfAHundredConnections() throws Exception {
        System.setProperty(UringOptions.MULTISHOT_ACCEPT, "false");
        UringDriver d = open();
        assertFalse(d.nativeMultishotAccept());
        acceptHundred(d);
    }

    private void acceptHundred(UringDriver d) throws Exception {
        try (Socket server = Socket.tcp(false)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.listen(256);
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            AtomicInteger released = new AtomicInteger();
            Op accept = new Op("accept").prepareAccept(server.fd(), 0, 0, Op.ACCEPT_MULTISHOT).owner(released::incrementAndGet);
            d.submit(accept);
            List<java.net.Socket> clients = new ArrayList<>();
            List<Integer> accepted = new ArrayList<>();
            List<Integer> finals = new ArrayList<>();
            CompletionHandler h = (op, r, f) -> {
                if (Completion.hasMore(f)) {
                    assertTrue(r >= 0, "accept failed: " + Errno.name(r));
                    assertTrue(op.isInFlight());
                    accepted.add(r);
                    fds.add(r);
                } else {
                    finals.add(r);
                }
            };
            try {
                for (int i = 0; i < 100; i++) {
                    clients.add(new java.net.Socket(address.getAddress(), address.getPort()));
                    d.poll(0, h);
                }
                pollUntil(d, h, () -> accepted.size() >= 100);
                assertEquals(100, accepted.size());
                for (int fd : accepted) {
                    int fl = LibC.fcntl(fd, LinuxConstants.F_GETFL, 0);
                    assertNotEquals(0, fl & LinuxConstants.O_NONBLOCK, "accepted socket must be non-blocking");
                    assertNotEquals(0, LibC.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC, "accepted socket must be close-on-exec");
                }
                assertEquals(0, released.get());
                assertTrue(finals.isEmpty());
                assertTrue(d.cancel(accept));
                pollUntil(d, h, () -> !finals.isEmpty());
                assertEquals(List.of(-Errno.ECANCELED), finals);
                assertEquals(1, released.get());
                assertFalse(accept.isInFlight());
            } finally {
                for (java.net.Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void emulatedMultishotAcceptCancelledFromTheHandlerEndsWithEcanceled() throws Exception {
        System.setProperty(UringOptions.MULTISHOT_ACCEPT, "false");
        UringDriver d = open();
        try (Socket server = Socket.tcp(false)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            server.listen(16);
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            AtomicInteger released = new AtomicInteger();
            Op accept = new Op().prepareAccept(server.fd(), 0, 0, Op.ACCEPT_MULTISHOT).owner(released::incrementAndGet);
            d.submit(accept);
            List<String> events = new ArrayList<>();
            try (java.net.Socket c = new java.net.Socket(address.getAddress(), address.getPort())) {
                pollUntil(d, (op, r, f) -> {
                    if (Completion.hasMore(f)) {
                        fds.add(r);
                        events.add("more");
                        assertTrue(d.cancel(op));
                    } else {
                        events.add("final:" + r + ":released=" + released.get());
                    }
                }, () -> events.size() >= 2);
            }
            assertEquals(List.of("more", "final:" + -Errno.ECANCELED + ":released=0"), events);
            assertEquals(1, released.get());
            d.close();
        }
    }

    // ------------------------------------------------------------------------------------------ op mapping

    @Test
    void sendvGathersIovecsOnANonBlockingSocket() {
        UringDriver d = open();
        int[] pair = socketPair();
        NativeBuffer a = NativeBuffer.allocate(6);
        NativeBuffer b = NativeBuffer.allocate(5);
        a.buffer().put(0, "hello ".getBytes(StandardCharsets.US_ASCII));
        b.buffer().put(0, "world".getBytes(StandardCharsets.US_ASCII));
        NativeBuffer iov = NativeBuffer.allocate(32);
        iov.buffer().putLong(0, a.address()).putLong(8, 6).putLong(16, b.address()).putLong(24, 5);
        NativeBuffer in = NativeBuffer.allocate(64);
        Recorder rec = new Recorder();
        d.submit(new Op("recv").prepareRecv(pair[1], in.address(), 64, 0));
        d.submit(new Op("sendv").prepareSendv(pair[0], iov.address(), 2, 0));
        pollUntil(d, rec, () -> rec.count == 2);
        assertTrue(rec.events.contains("complete:sendv:11"), rec.events::toString);
        assertTrue(rec.events.contains("complete:recv:11"), rec.events::toString);
        byte[] got = new byte[11];
        in.buffer().get(0, got);
        assertEquals("hello world", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void writeAndReadAtOffsetsAndAtTheFilePosition() throws Exception {
        UringDriver d = open();
        File f = File.createTempFile("uring", ".bin");
        f.deleteOnExit();
        int fd = LibC.open(f.getPath(), LinuxConstants.O_RDWR | LinuxConstants.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        fds.add(fd);
        NativeBuffer data = NativeBuffer.allocate(4);
        data.buffer().put(0, "ABCD".getBytes(StandardCharsets.US_ASCII));
        Recorder rec = new Recorder();
        d.submit(new Op("w1").prepareWrite(fd, data.address(), 4, Op.NO_OFFSET));
        pollUntil(d, rec, () -> rec.count == 1);
        d.submit(new Op("w2").prepareWrite(fd, data.address(), 2, 10));
        pollUntil(d, rec, () -> rec.count == 2);
        d.submit(new Op("w3").prepareWrite(fd, data.address() + 2, 2, Op.NO_OFFSET));
        pollUntil(d, rec, () -> rec.count == 3);
        assertEquals(List.of(4, 2, 2), rec.results);
        byte[] content = Files.readAllBytes(f.toPath());
        assertEquals("ABCDCD\0\0\0\0AB", new String(content, StandardCharsets.US_ASCII));
        NativeBuffer in = NativeBuffer.allocate(8);
        d.submit(new Op("r").prepareRead(fd, in.address(), 3, 1));
        pollUntil(d, rec, () -> rec.count == 4);
        assertEquals(3, rec.results.get(3));
        byte[] got = new byte[3];
        in.buffer().get(0, got);
        assertEquals("BCD", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void spliceMovesFileBytesIntoAPipe() throws Exception {
        UringDriver d = open();
        File f = File.createTempFile("uring", ".bin");
        f.deleteOnExit();
        Files.writeString(f.toPath(), "0123456789");
        int fd = LibC.open(f.getPath(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        assertTrue(fd >= 0);
        fds.add(fd);
        NativeBuffer p = NativeBuffer.allocate(8);
        assertEquals(0, LibC.pipe2(p.address(), LinuxConstants.O_CLOEXEC | LinuxConstants.O_NONBLOCK));
        int rd = p.buffer().getInt(0);
        int wr = p.buffer().getInt(4);
        fds.add(rd);
        fds.add(wr);
        Recorder rec = new Recorder();
        d.submit(new Op("splice").prepareSplice(fd, 3, wr, Op.NO_OFFSET, 4, LinuxConstants.SPLICE_F_MOVE));
        pollUntil(d, rec, () -> rec.count == 1);
        assertEquals(List.of(4), rec.results);
        NativeBuffer in = NativeBuffer.allocate(8);
        assertEquals(4, LibC.read(rd, in.address(), 8));
        byte[] got = new byte[4];
        in.buffer().get(0, got);
        assertEquals("3456", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void pollOpReportsReadiness() {
        UringDriver d = open();
        int[] pair = socketPair();
        Recorder rec = new Recorder();
        d.submit(new Op("poll").preparePoll(pair[0], LinuxConstants.POLLIN));
        assertEquals(0, d.poll(0, rec));
        NativeBuffer one = NativeBuffer.allocate(1);
        assertEquals(1, LibC.send(pair[1], one.address(), 1, 0));
        pollUntil(d, rec, () -> rec.count == 1);
        assertNotEquals(0, rec.results.get(0) & LinuxConstants.POLLIN);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
