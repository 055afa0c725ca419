package dev.proactor.runtime.conformance;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provided buffer rings and receives into them (multishot and single), the same on every driver: io_uring with
 * kernel buffer rings, io_uring emulating them (see the uring package), and the poll driver's emulation.
 */
public class ProvidedBufferConformanceTest {

    /** The byte at position {@code pos} of every test stream. */
    static byte expected(long pos) {
        return (byte) ((pos * 0x9E3779B1L) >>> 11 ^ pos);
    }

    static NativeBuffer pattern(int length) {
        NativeBuffer b = NativeBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            b.buffer().put(i, expected(i));
        }
        return b;
    }

    static byte[] bytesOf(BufferRing ring, int bufferId, int length) {
        byte[] out = new byte[length];
        ring.memory().buffer().get(bufferId * ring.bufferSize(), out, 0, length);
        return out;
    }

    /** Whether buffer {@code id} holds stream bytes {@code [from, from + length)}; else the first wrong position. */
    static long firstMismatch(BufferRing ring, int id, int length, long from) {
        byte[] got = bytesOf(ring, id, length);
        for (int i = 0; i < length; i++) {
            if (got[i] != expected(from + i)) {
                return from + i;
            }
        }
        return -1;
    }

    /** Sends {@code data} as messages of the given lengths, one SEND chain on the loop, partial sends continued. */
    static final class StreamSender implements Reaction {
        private final DriverLoop loop;
        private final int fd;
        private final NativeBuffer data;
        private final int[] lengths;
        private final Op op = new Op();
        private int message;
        private int doneInMessage;
        long sent;
        int error;
        boolean done;

        StreamSender(DriverLoop loop, int fd, NativeBuffer data, int[] lengths) {
            this.loop = loop;
            this.fd = fd;
            this.data = data;
            this.lengths = lengths;
        }

        StreamSender start() {
            next();
            return this;
        }

        private void next() {
            if (message == lengths.length) {
                done = true;
                return;
            }
            loop.submit(op.prepareSend(fd, data.address() + sent, lengths[message] - doneInMessage, 0).attach(this));
        }

        @Override
        public void react(Op o, int result, int flags) {
            if (result <= 0) {
                error = result;
                done = true;
                return;
            }
            sent += result;
            doneInMessage += result;
            if (doneInMessage == lengths[message]) {
                message++;
                doneInMessage = 0;
            }
            next();
        }
    }

    /**
     * A multishot receive that checks every byte against the stream pattern, recycles each buffer at once, and
     * arms itself again (when a buffer is available) after -ENOBUFS or a final completion that still had data.
     */
    static final class StreamReceiver implements Reaction {
        private final DriverLoop loop;
        private final BufferRing ring;
        private final int fd;
        final Op op = new Op();
        long received;
        long mismatchAt = -1;
        int submissions;
        int releases;
        int completions;
        int dataWithoutBuffer;
        final List<Integer> finals = new ArrayList<>();
        boolean eof;
        boolean finalHadBuffer;

        StreamReceiver(DriverLoop loop, BufferRing ring, int fd, long startAt) {
            this.loop = loop;
            this.ring = ring;
            this.fd = fd;
            this.received = startAt;
        }

        StreamReceiver arm() {
            submissions++;
            loop.submit(op.prepareRecvMultishot(fd, ring.groupId(), 0).attach(this).owner(() -> releases++));
            return this;
        }

        boolean ended() {
            return !op.isInFlight() && !finals.isEmpty() && !rearmPending();
        }

        private boolean rearmPending() {
            int last = finals.get(finals.size() - 1);
            return last == -Errno.ENOBUFS || last > 0;
        }

        @Override
        public void react(Op o, int result, int flags) {
            completions++;
            if (Completion.hasBuffer(flags)) {
                int id = Completion.bufferId(flags);
                long bad = firstMismatch(ring, id, result, received);
                if (bad >= 0 && mismatchAt < 0) {
                    mismatchAt = bad;
                }
                received += result;
                ring.recycle(id);
            } else if (result > 0) {
                dataWithoutBuffer++;
            }
            if (Completion.hasMore(flags)) {
                return;
            }
            finals.add(result);
            finalHadBuffer |= Completion.hasBuffer(flags);
            if (result == 0) {
                eof = true;
            } else if (result == -Errno.ENOBUFS || result > 0) {
                ring.whenAvailable(this::arm);
            }
        }
    }

    private static int[] randomLengths(Random random, int count, int max) {
        int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = 1 + random.nextInt(max);
        }
        return lengths;
    }

    // ---------------------------------------------------------------------------------------------- streams

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void multishotRecvOfSeveralMebibytesInManyMessages(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            int[] lengths = randomLengths(new Random(7), 300, 50_000);
            int total = Arrays.stream(lengths).sum();
            assertTrue(total > 6 << 20, "several MiB: " + total);
            BufferRing ring = loop.driver().registerBufferRing(3, 8, 16 * 1024);
            StreamReceiver receiver = new StreamReceiver(loop, ring, p.server().fd(), 0).arm();
            StreamSender sender = new StreamSender(loop, p.client().fd(), pattern(total), lengths).start();
            loop.runUntil(() -> sender.done, Duration.ofSeconds(60), "the sender");
            assertEquals(0, sender.error, () -> "send failed: " + Errno.name(sender.error));
            loop.callOk(new Op().prepareShutdown(p.client().fd(), LinuxConstants.SHUT_WR));
            loop.runUntil(() -> receiver.eof, Duration.ofSeconds(60), "EOF after " + total + " bytes");

            assertEquals(total, receiver.received);
            assertEquals(-1, receiver.mismatchAt, "first byte received wrong");
            assertEquals(0, receiver.dataWithoutBuffer, "data completions without a buffer");
            assertEquals(0, (int) receiver.finals.get(receiver.finals.size() - 1), "the last completion is EOF");
            assertFalse(receiver.finalHadBuffer, "EOF hands out no buffer");
            assertTrue(receiver.completions > total / (16 * 1024), "one completion per buffer filled");
            assertEquals(receiver.submissions, receiver.releases, "one owner release per submission");
            assertEquals(0, ring.handedOut());
            assertEquals(ring.bufferCount(), ring.available());
            assertEquals(0, loop.driver().inFlight());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void enobufsWhenTheConsumerHoldsEveryBufferThenRearmingLosesNothing(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            int total = 10_000;
            int group = 7;
            BufferRing ring = loop.driver().registerBufferRing(group, 4, 1024);
            Loopback.sendAll(loop, p.client().fd(), pattern(total).address(), total);
            int fd = p.server().fd();

            Op op = new Op().prepareRecvMultishot(fd, group, 0);
            OwnerProbe owner = OwnerProbe.on(loop, op);
            loop.submit(op);
            List<DriverLoop.Completed> got = untilFinal(loop, op);
            DriverLoop.Completed last = got.remove(got.size() - 1);
            assertEquals(-Errno.ENOBUFS, last.result(), () -> "final result " + Errno.name(last.result()));
            assertFalse(Completion.hasBuffer(last.flags()), "ENOBUFS hands out no buffer");
            owner.assertReleasedOnceAfter(got.size() + 1);
            assertEquals(4, got.size(), "one completion per buffer, then ENOBUFS");
            long received = 0;
            List<Integer> held = new ArrayList<>();
            for (DriverLoop.Completed c : got) {
                assertTrue(c.hasMore() && Completion.hasBuffer(c.flags()), "data completions have MORE and BUFFER");
                int id = Completion.bufferId(c.flags());
                assertEquals(-1, firstMismatch(ring, id, c.result(), received), "contents of buffer " + id);
                received += c.result();
                held.add(id);
            }
            assertEquals(4, new HashSet<>(held).size(), "four different buffers: " + held);
            assertEquals(0, ring.available());
            assertEquals(4, ring.handedOut());

            // Held buffers are not refilled, however long the driver runs.
            Map<Integer, byte[]> before = snapshot(ring, held);
            loop.runFor(Duration.ofMillis(50));
            assertEquals(0, loop.completionsOf(op) - got.size() - 1, "no completion while every buffer is held");

            // whenAvailable waits for a recycle; recycling one buffer lets exactly that one be filled again.
            boolean[] rearmed = {false};
            ring.whenAvailable(() -> {
                rearmed[0] = true;
                loop.submit(op.prepareRecvMultishot(fd, group, 0));
            });
            assertFalse(rearmed[0], "no buffer is available yet");
            int x = held.remove(1);
            ring.recycle(x);
            assertTrue(rearmed[0], "recycle runs the waiting action");
            DriverLoop.Completed again = loop.await(op);
            assertTrue(Completion.hasBuffer(again.flags()) && again.hasMore());
            assertEquals(x, Completion.bufferId(again.flags()), "the only available buffer");
            assertEquals(-1, firstMismatch(ring, x, again.result(), received), "no byte lost or repeated");
            received += again.result();
            assertEquals(-Errno.ENOBUFS, loop.await(op).result());
            for (int id : held) {
                assertArrayEquals(before.get(id), bytesOf(ring, id, ring.bufferSize()), "held buffer " + id + " was overwritten");
            }

            // Give everything back and receive the rest.
            ring.recycle(x);
            held.forEach(ring::recycle);
            StreamReceiver rest = new StreamReceiver(loop, ring, fd, received).arm();
            loop.runUntil(() -> rest.received == total, "the rest of the " + total + " bytes");
            assertEquals(-1, rest.mismatchAt);
            assertTrue(loop.driver().cancel(rest.op));
            loop.runUntil(() -> !rest.op.isInFlight(), "the cancelled receive's final completion");
            assertEquals(rest.submissions, rest.releases);
            assertEquals(0, ring.handedOut());
        }
    }

    private static Map<Integer, byte[]> snapshot(BufferRing ring, List<Integer> ids) {
        Map<Integer, byte[]> out = new HashMap<>();
        for (int id : ids) {
            out.put(id, bytesOf(ring, id, ring.bufferSize()));
        }
        return out;
    }

    private static List<DriverLoop.Completed> untilFinal(DriverLoop loop, Op op) {
        List<DriverLoop.Completed> all = new ArrayList<>();
        DriverLoop.Completed c;
        do {
            c = loop.await(op);
            all.add(c);
        } while (c.hasMore());
        return all;
    }

    // ---------------------------------------------------------------------------------------------- endings

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelOfAnIdleMultishotRecvEndsItThenReleasesTheOwner(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(1, 4, 256);
            Op op = new Op().prepareRecvMultishot(p.server().fd(), 1, 0);
            OwnerProbe owner = OwnerProbe.on(loop, op);
            loop.submit(op);
            loop.runFor(Duration.ofMillis(50));
            assertFalse(loop.hasCompletion(op), "nothing to receive yet");
            owner.assertNotReleased();
            assertTrue(loop.driver().cancel(op));
            DriverLoop.Completed c = loop.await(op);
            assertEquals(-Errno.ECANCELED, c.result());
            assertFalse(c.hasMore(), "a cancelled multishot ends");
            owner.assertReleasedOnceAfter(1);
            assertEquals(0, loop.driver().inFlight());
            assertEquals(4, ring.available(), "a buffer a receive tried and did not fill is available again");
            assertEquals(0, ring.handedOut());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelAfterDataEndsTheMultishotRecvWithoutMore(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(2, 8, 1024);
            StreamReceiver receiver = new StreamReceiver(loop, ring, p.server().fd(), 0).arm();
            Loopback.sendAll(loop, p.client().fd(), pattern(3000).address(), 3000);
            loop.runUntil(() -> receiver.received == 3000, "3000 bytes");
            assertTrue(receiver.finals.isEmpty(), "still receiving");
            assertEquals(0, receiver.releases);
            assertTrue(loop.driver().cancel(receiver.op));
            loop.runUntil(() -> !receiver.op.isInFlight(), "the final completion");
            assertEquals(List.of(-Errno.ECANCELED), receiver.finals);
            assertEquals(1, receiver.releases, "released once, after the final completion");
            assertEquals(-1, receiver.mismatchAt);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void cancelFromTheHandlerEndsTheMultishotAfterWhatIsAlreadyDelivered(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(13, 8, 512);
            Loopback.sendAll(loop, p.client().fd(), pattern(4000).address(), 4000);
            List<Integer> results = new ArrayList<>();
            List<Boolean> more = new ArrayList<>();
            long[] received = {0};
            long[] mismatch = {-1};
            boolean[] cancelAccepted = {false};
            Op op = new Op().prepareRecvMultishot(p.server().fd(), 13, 0);
            OwnerProbe owner = OwnerProbe.on(loop, op);
            loop.submit(op.attach((Reaction) (o, r, f) -> {
                results.add(r);
                more.add(Completion.hasMore(f));
                if (Completion.hasBuffer(f)) {
                    int id = Completion.bufferId(f);
                    long bad = firstMismatch(ring, id, r, received[0]);
                    mismatch[0] = mismatch[0] < 0 ? bad : mismatch[0];
                    received[0] += r;
                    ring.recycle(id);
                }
                if (results.size() == 1) {
                    cancelAccepted[0] = loop.driver().cancel(o);
                }
            }));
            loop.runUntil(() -> !op.isInFlight(), "the final completion");
            assertTrue(cancelAccepted[0], "cancel from the handler of a MORE completion");
            int n = results.size();
            assertEquals(-Errno.ECANCELED, (int) results.get(n - 1), () -> "results " + results);
            assertEquals(false, more.get(n - 1));
            assertFalse(more.subList(0, n - 1).contains(false), "only the last completion lacks MORE: " + more);
            owner.assertReleasedOnceAfter(n);
            loop.runFor(Duration.ofMillis(30));
            assertEquals(n, loop.completionsOf(op), "nothing after the final completion");
            assertEquals(-1, mismatch[0]);
            assertEquals(0, ring.handedOut());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void endOfStreamIsAFinalZero(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(4, 4, 2048);
            Loopback.sendAll(loop, p.client().fd(), pattern(5000).address(), 5000);
            Loopback.closeQuietly(p.client());
            StreamReceiver receiver = new StreamReceiver(loop, ring, p.server().fd(), 0);
            OwnerProbe owner = OwnerProbe.on(loop, receiver.op.prepareRecvMultishot(p.server().fd(), 4, 0));
            loop.submit(receiver.op.attach(receiver));
            loop.runUntil(() -> receiver.eof, "EOF");
            assertEquals(5000, receiver.received);
            assertEquals(-1, receiver.mismatchAt);
            assertEquals(List.of(0), receiver.finals);
            assertFalse(receiver.finalHadBuffer);
            owner.assertReleasedOnceAfter(receiver.completions);
            assertEquals(0, loop.driver().inFlight());
        }
    }

    // ---------------------------------------------------------------------------------------------- single shot

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void singleProvidedRecvHandsOutOneBufferAndEnobufsWhenNoneIsLeft(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(9, 1, 4096);
            Loopback.sendAll(loop, p.client().fd(), pattern(100).address(), 100);
            Op op = new Op().prepareRecvProvided(p.server().fd(), 9, 0);
            loop.submit(op);
            DriverLoop.Completed c = loop.await(op);
            assertEquals(100, c.result());
            assertFalse(c.hasMore());
            assertTrue(Completion.hasBuffer(c.flags()));
            assertEquals(0, Completion.bufferId(c.flags()));
            assertEquals(-1, firstMismatch(ring, 0, 100, 0));
            assertEquals(1, ring.handedOut());

            Loopback.sendAll(loop, p.client().fd(), pattern(100).address(), 100);
            assertEquals(-Errno.ENOBUFS, loop.call(op.prepareRecvProvided(p.server().fd(), 9, 0)), "the only buffer is held");
            ring.recycle(0);
            c = loop.await(loop.submit(op.prepareRecvProvided(p.server().fd(), 9, 0)));
            assertEquals(100, c.result(), "the data waited in the socket");
            ring.recycle(Completion.bufferId(c.flags()));
        }
    }

    // ---------------------------------------------------------------------------------------------- rules

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void recycleOfABufferNotHandedOutOrTwiceOrFromAnotherThreadThrows(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(2, 4, 256);
            assertThrows(IllegalStateException.class, () -> ring.recycle(0), "never handed out");
            assertThrows(IndexOutOfBoundsException.class, () -> ring.recycle(4));
            assertThrows(IndexOutOfBoundsException.class, () -> ring.recycle(-1));
            assertEquals(4, ring.available(), "a refused recycle changes nothing");

            Loopback.sendAll(loop, p.client().fd(), pattern(10).address(), 10);
            Op op = new Op();
            int id = Completion.bufferId(loop.await(loop.submit(op.prepareRecvProvided(p.server().fd(), 2, 0))).flags());
            AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    ring.recycle(id);
                } catch (Throwable e) {
                    fromOtherThread.set(e);
                }
            });
            t.start();
            t.join();
            assertTrue(fromOtherThread.get() instanceof IllegalStateException, () -> "other thread: " + fromOtherThread.get());
            assertEquals(1, ring.handedOut());
            ring.recycle(id);
            assertThrows(IllegalStateException.class, () -> ring.recycle(id), "recycled twice");
            assertEquals(0, ring.handedOut());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void registrationAndSubmissionCheckTheirArguments(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            var d = loop.driver();
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 3, 100), "not a power of two");
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 0, 100));
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 1 << 16, 100));
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 4, 0));
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1 << 16, 4, 100));
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(-1, 4, 100));
            BufferRing ring = d.registerBufferRing(5, 4, 100);
            assertEquals(5, ring.groupId());
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(5, 4, 100), "group taken");
            Op unknown = new Op().prepareRecvMultishot(p.server().fd(), 6, 0);
            assertThrows(IllegalArgumentException.class, () -> d.submit(unknown), "no ring for group 6");
            assertFalse(unknown.isInFlight());
            assertEquals(0, d.inFlight());
            assertThrows(IllegalArgumentException.class, () -> new Op().prepareRecvMultishot(p.server().fd(), 70_000, 0));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void driverCloseEndsTheMultishotOnceAndHeldBuffersStayReadable(DriverKind kind) {
        DriverLoop loop = DriverLoop.open(kind);
        try (Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(11, 4, 512);
            Loopback.sendAll(loop, p.client().fd(), pattern(600).address(), 600);
            Op op = new Op().prepareRecvMultishot(p.server().fd(), 11, 0);
            OwnerProbe owner = OwnerProbe.on(loop, op);
            loop.submit(op);
            List<Integer> held = new ArrayList<>();
            long[] received = {0};
            loop.runUntil(() -> {
                while (loop.hasCompletion(op)) {
                    DriverLoop.Completed c = loop.await(op);
                    assertTrue(c.hasMore() && Completion.hasBuffer(c.flags()), "data with MORE and BUFFER");
                    held.add(Completion.bufferId(c.flags()));
                    received[0] += c.result();
                }
                return received[0] == 600;
            }, "600 bytes");
            int delivered = loop.completionsOf(op);
            owner.assertNotReleased();
            Map<Integer, byte[]> before = snapshot(ring, held);

            loop.close();
            owner.assertReleasedOnceAfter(delivered);
            assertTrue(ring.isClosed());
            assertEquals(0, loop.driver().inFlight());
            for (int id : held) {
                assertArrayEquals(before.get(id), bytesOf(ring, id, ring.bufferSize()), "held buffers stay readable");
            }
            assertThrows(IllegalStateException.class, () -> ring.whenAvailable(() -> { }));
            for (int id : held) {
                ring.recycle(id); // the consumer may finish with its buffers after the driver closed
            }
            assertThrows(IllegalStateException.class, () -> ring.recycle(held.get(0)), "recycled twice");
            assertEquals(0, ring.handedOut());
        } finally {
            loop.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void steadyStateMultishotReceiveAllocatesNothingPerMessage(DriverKind kind) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            Driver d = loop.driver();
            BufferRing ring = d.registerBufferRing(14, 4, 256);
            NativeBuffer message = pattern(64);
            Op recv = new Op();
            Op send = new Op();
            int[] received = {0};
            int[] finals = {0};
            CompletionHandler handler = (op, r, f) -> {
                if (op == recv) {
                    if (Completion.hasBuffer(f)) {
                        received[0] += r;
                        ring.recycle(Completion.bufferId(f));
                    }
                    if (!Completion.hasMore(f)) {
                        finals[0]++;
                        d.submit(recv.prepareRecvMultishot(p.server().fd(), 14, 0));
                    }
                } else if (r != 64) {
                    throw new AssertionError("send: " + r);
                }
            };
            d.submit(recv.prepareRecvMultishot(p.server().fd(), 14, 0));
            int rounds = 20_000;
            long before = 0;
            for (int i = 0; i < 2 * rounds; i++) {
                if (i == rounds) {
                    before = mx.getCurrentThreadAllocatedBytes(); // after warm-up
                }
                d.submit(send.prepareSend(p.client().fd(), message.address(), 64, 0));
                int target = (i + 1) * 64;
                while (received[0] < target || send.isInFlight()) {
                    d.poll(-1, handler);
                }
            }
            long perMessage = (mx.getCurrentThreadAllocatedBytes() - before) / rounds;
            assertTrue(perMessage < 8, "bytes allocated per message sent and received: " + perMessage);
            assertEquals(0, finals[0], "the multishot never ended");
            d.cancel(recv);
            loop.runUntil(() -> d.inFlight() == 0, "the cancelled receive");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void handOutFlagsNameTheBufferThatHoldsTheBytes(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair p = Loopback.pair(loop)) {
            BufferRing ring = loop.driver().registerBufferRing(12, 2, 64);
            assertEquals(64, ring.bufferSize());
            assertEquals(2, ring.bufferCount());
            assertNotEquals(ring.address(0), ring.address(1));
            assertEquals(ring.address(0) + 64, ring.address(1));
            Loopback.sendAll(loop, p.client().fd(), pattern(64).address(), 64);
            DriverLoop.Completed c = loop.await(loop.submit(new Op().prepareRecvProvided(p.server().fd(), 12, 0)));
            assertEquals(64, c.result());
            assertEquals(Completion.BUFFER, c.flags() & 0xFFFF & ~Completion.SOCK_NONEMPTY);
            assertEquals(-1, firstMismatch(ring, Completion.bufferId(c.flags()), 64, 0));
        }
    }
}
