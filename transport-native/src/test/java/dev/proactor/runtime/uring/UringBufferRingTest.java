package dev.proactor.runtime.uring;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** io_uring's provided buffer rings: the kernel path is the one used here, its fallback, and its lifetime. */
@Timeout(60)
@EnabledOnOs(OS.LINUX)
class UringBufferRingTest {
    private final List<UringDriver> drivers = new ArrayList<>();
    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (UringDriver d : drivers) {
            d.close();
        }
        for (int fd : fds) {
            LibC.close(fd);
        }
        System.clearProperty(UringOptions.BUFFER_RINGS);
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

    private static byte expected(long pos) {
        return (byte) (pos * 31 + (pos >>> 8));
    }

    /** Receives {@code total} bytes written from this thread through a multishot receive; checks every byte. */
    private static final class Stream implements CompletionHandler {
        final UringDriver d;
        final BufferRing ring;
        final int fd;
        final Op op = new Op();
        long received;
        long mismatchAt = -1;
        int arms;
        int finalsWithData;
        int error;

        Stream(UringDriver d, BufferRing ring, int fd) {
            this.d = d;
            this.ring = ring;
            this.fd = fd;
        }

        void arm() {
            arms++;
            d.submit(op.prepareRecvMultishot(fd, ring.groupId(), 0));
        }

        @Override
        public void complete(Op o, int result, int flags) {
            if (Completion.hasBuffer(flags)) {
                int id = Completion.bufferId(flags);
                int base = id * ring.bufferSize();
                for (int i = 0; i < result; i++) {
                    if (ring.memory().buffer().get(base + i) != expected(received + i) && mismatchAt < 0) {
                        mismatchAt = received + i;
                    }
                }
                received += result;
                ring.recycle(id);
            }
            if (Completion.hasMore(flags)) {
                return;
            }
            if (result > 0 || result == -Errno.ENOBUFS) {
                finalsWithData += result > 0 ? 1 : 0;
                ring.whenAvailable(this::arm); // e.g. the kernel stopped because the CQ overflowed
            } else {
                error = result;
            }
        }

        void run(int writeFd, long total) {
            NativeBuffer chunk = NativeBuffer.allocate(65536);
            long sent = 0;
            long deadline = System.nanoTime() + 30_000_000_000L;
            arm();
            while (received < total) {
                assertTrue(System.nanoTime() < deadline, "timed out after " + received + " bytes");
                assertEquals(0, error, () -> "receive failed: " + Errno.name(error));
                if (sent < total) {
                    int n = (int) Math.min(chunk.size(), total - sent);
                    for (int i = 0; i < n; i++) {
                        chunk.buffer().put(i, expected(sent + i));
                    }
                    long w = LibC.send(writeFd, chunk.address(), n, LinuxConstants.MSG_DONTWAIT);
                    if (w > 0) {
                        sent += w;
                    }
                }
                d.poll(1_000_000L, this);
            }
            assertEquals(total, received);
            assertEquals(-1, mismatchAt, "first wrong byte");
        }
    }

    @Test
    void kernelBufferRingsAndMultishotRecvAreUsedOnThisKernel() {
        UringDriver d = open();
        assertTrue(d.nativeBufferRings(), d::toString);
        BufferRing ring = d.registerBufferRing(1, 8, 4096);
        assertTrue(ring.kernelManaged());
        assertTrue(d.kernelRings().get(0).isRegistered());
        int[] pair = socketPair();
        Stream s = new Stream(d, ring, pair[0]);
        s.run(pair[1], 4 << 20);
        assertEquals(0, d.emulatedRecvReissues(), "the kernel's multishot: no RECV issued again by the driver");
        assertEquals(s.arms, d.submittedOps(), "one submission per arming, however many buffers were filled");
        assertTrue(d.completions() >= (4 << 20) / 4096, "one completion per buffer: " + d.completions());
    }

    @Test
    void bufferIdsAndTheSixteenBitTailWrapAroundWithoutLoss() {
        UringDriver d = open();
        BufferRing ring = d.registerBufferRing(2, 8, 32);
        int[] pair = socketPair();
        // 2 MiB in 32-byte buffers: more than 65536 buffers provided, so the u16 tail wraps.
        new Stream(d, ring, pair[0]).run(pair[1], 2 << 20);
        assertEquals(0, ring.handedOut());
    }

    @Test
    void aMultishotStoppedByAFullCompletionQueueEndsWithDataAndIsArmedAgainWithoutLoss() {
        UringDriver d = open(4, 8);
        BufferRing ring = d.registerBufferRing(6, 64, 64);
        int[] pair = socketPair();
        Stream s = new Stream(d, ring, pair[0]);
        // 4096 bytes at once: the kernel fills 64 buffers in one go, but only 8 CQEs fit.
        s.run(pair[1], 4096);
        assertTrue(s.finalsWithData > 0, "the kernel ends a multishot whose CQE does not fit: " + s.arms + " arms");
        assertEquals(0, ring.handedOut());
    }

    @Test
    void theSwitchSelectsTheEmulation() {
        System.setProperty(UringOptions.BUFFER_RINGS, "false");
        UringDriver d = open();
        assertFalse(d.nativeBufferRings());
        BufferRing ring = d.registerBufferRing(1, 8, 4096);
        assertFalse(ring.kernelManaged());
        assertTrue(d.kernelRings().isEmpty());
        int[] pair = socketPair();
        Stream s = new Stream(d, ring, pair[0]);
        s.run(pair[1], 1 << 20);
        assertTrue(d.emulatedRecvReissues() >= (1 << 20) / 4096 - s.arms, "a RECV per buffer: " + d.emulatedRecvReissues());
    }

    @Test
    void emulatedCloseDrainsWithoutRunningActionsWaitingForABuffer() {
        System.setProperty(UringOptions.BUFFER_RINGS, "false");
        UringDriver d = open();
        BufferRing ring = d.registerBufferRing(7, 2, 128);
        int[] idle = socketPair();
        int[] busy = socketPair();
        AtomicInteger released = new AtomicInteger();
        // Lent its buffer by the emulation, this receive gives it back when close cancels it.
        d.submit(new Op().prepareRecvProvided(idle[0], 7, 0).owner(released::incrementAndGet));
        NativeBuffer one = NativeBuffer.allocate(1);
        assertEquals(1, LibC.send(busy[1], one.address(), 1, 0));
        Op take = new Op().prepareRecvProvided(busy[0], 7, 0);
        d.submit(take);
        int[] handedOut = {-1};
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (handedOut[0] < 0) {
            assertTrue(System.nanoTime() < deadline);
            d.poll(10_000_000L, (op, r, f) -> handedOut[0] = Completion.bufferId(f));
        }
        assertEquals(0, ring.available());
        boolean[] ran = {false};
        ring.whenAvailable(() -> {
            ran[0] = true;
            d.submit(take.prepareRecvProvided(busy[0], 7, 0));
        });
        assertTrue(d.shutdown(10_000_000_000L, true), "close drained everything");
        assertFalse(ran[0], "an action waiting for a buffer never runs once close has begun");
        assertEquals(1, released.get());
        ring.recycle(handedOut[0]);
        assertFalse(ran[0]);
    }

    @Test
    void closeUnregistersTheRingOnlyAfterTheMultishotRecvHasEnded() {
        UringDriver d = open();
        BufferRing ring = d.registerBufferRing(3, 4, 256);
        KernelBufferRing kernel = d.kernelRings().get(0);
        int[] pair = socketPair();
        List<Boolean> registeredAtRelease = new ArrayList<>();
        d.submit(new Op().prepareRecvMultishot(pair[0], 3, 0).owner(() -> registeredAtRelease.add(kernel.isRegistered())));
        assertEquals(0, d.poll(10_000_000L, (op, r, f) -> fail("nothing to receive")));
        d.close();
        assertEquals(List.of(true), registeredAtRelease, "the op ended (owner released) while the ring was still registered");
        assertFalse(kernel.isRegistered(), "IORING_UNREGISTER_PBUF_RING at close");
        assertTrue(ring.isClosed());
    }

    @Test
    void closeKeepsTheRingRegisteredAndItsMemoryWhenTheKernelDoesNotAnswer() {
        UringDriver d = open();
        BufferRing ring = d.registerBufferRing(4, 4, 256);
        KernelBufferRing kernel = d.kernelRings().get(0);
        int[] pair = socketPair();
        AtomicInteger released = new AtomicInteger();
        Op recv = new Op().prepareRecvMultishot(pair[0], 4, 0).owner(released::incrementAndGet);
        d.submit(recv);
        // No cancel is sent: the multishot stays armed in the kernel, which may still fill the ring's buffers.
        assertFalse(d.shutdown(200_000_000L, false));
        assertEquals(0, released.get());
        assertTrue(kernel.isRegistered(), "a ring the kernel may still select from is never unregistered or freed");
        assertTrue(recv.isInFlight());
        assertTrue(ring.isClosed(), "no buffer goes back to a leaked ring");
    }
}
