package dev.proactor.reliability.buffers;

import dev.proactor.netty.LeakReports;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checking allocator finds what it is there to find, and finds nothing in correct use. */
class CheckingByteBufAllocatorTest {

    @Test
    void correctUseLeavesACleanLedgerAndIntactPoison() {
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(10_000);
        ByteBuf direct = alloc.directBuffer(16);
        direct.writeBytes(new byte[100]); // grows: the first memory is quarantined at once
        ByteBuf slice = direct.retainedSlice(0, 10);
        ByteBuf heap = alloc.heapBuffer(32).writeLong(7);
        assertEquals(2, alloc.ledger().snapshot().live);
        slice.release();
        direct.release();
        heap.release();
        alloc.quarantine().verifyAll();

        BufferLedger.Snapshot s = alloc.ledger().snapshot();
        assertTrue(s.isClean(), s.toString());
        assertEquals(2, s.allocated);
        assertEquals(2, alloc.quarantine().quarantinedCount(), "the memory before and after the growth");
        assertEquals(0, alloc.quarantine().corruptions(), alloc.quarantine().reports().toString());
    }

    @Test
    void aWriteThroughAStaleAddressIsFound() {
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(10_000);
        ByteBuf buf = alloc.directBuffer(256);
        long address = buf.memoryAddress();
        buf.release();
        // The bug under test: code that kept the address writes after the release (the memory is quarantined,
        // so this write is harmless here, and it must be seen).
        PlatformDependent.putByte(address + 10, (byte) 0x42);
        alloc.quarantine().verifyAll();
        assertEquals(1, alloc.quarantine().corruptions());
        String report = alloc.quarantine().reports().get(0);
        assertTrue(report.contains("first at offset 10") && report.contains("(42"), report);
    }

    @Test
    void heldMemoryIsCheckedWhenItLeavesOnItsOwn() throws InterruptedException {
        CheckingByteBufAllocator alloc = new CheckingByteBufAllocator(UnpooledByteBufAllocator.DEFAULT,
                new PoisonQuarantine(5, TimeUnit.MILLISECONDS, 1 << 20));
        ByteBuf buf = alloc.directBuffer(64);
        long address = buf.memoryAddress();
        buf.release();
        PlatformDependent.putLong(address, 1L);
        Thread.sleep(20);
        alloc.directBuffer(64).release(); // the next free moves the old memory out, checking it
        assertEquals(1, alloc.quarantine().corruptions());
        assertEquals(1, alloc.quarantine().verifiedCount());
        alloc.quarantine().verifyAll();
    }

    @Test
    void aDoubleReleaseAndAnUnreleasedBufferAreCounted() {
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(0);
        ByteBuf once = alloc.directBuffer(8);
        ByteBuf twice = alloc.heapBuffer(8);
        once.release();
        twice.release();
        assertThrows(IllegalReferenceCountException.class, twice::release);
        ByteBuf kept = alloc.directBuffer(8);

        BufferLedger.Snapshot s = alloc.ledger().snapshot();
        assertEquals(1, s.releasesAfterFree);
        assertEquals(1, s.live);
        assertTrue(!s.isClean());
        kept.release();
        alloc.quarantine().verifyAll();
    }

    @Test
    void itsBuffersAreWatchedByNettysLeakDetector() {
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(0);
        leak(alloc);
        List<String> leaks = LeakReports.take();
        assertFalse(leaks.isEmpty(), "a dropped buffer of the checking allocator must be reported");
        assertEquals(1, alloc.ledger().snapshot().live);
    }

    private static void leak(CheckingByteBufAllocator alloc) {
        alloc.directBuffer(64).writeLong(1); // never released
    }

    /**
     * The bug the quarantine exists for, made on purpose: a receive is in flight into a buffer that is released;
     * the kernel then writes the peer's bytes into the released memory. Both drivers.
     */
    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void aReceiveCompletingIntoAReleasedBufferIsFound(DriverKind kind) throws Exception {
        CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(60_000);
        NativeBuffer fds = NativeBuffer.allocate(8);
        assertEquals(0, LibC.socketpair(LinuxConstants.AF_UNIX,
                LinuxConstants.SOCK_STREAM | LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC, 0, fds.address()));
        int a = fds.buffer().getInt(0);
        int b = fds.buffer().getInt(4);
        try (Driver driver = Drivers.open(DriverConfig.defaults().withKind(kind))) {
            ByteBuf buf = alloc.directBuffer(128);
            Op recv = new Op().prepareRecv(a, buf.memoryAddress(), 128, 0);
            driver.submit(recv);
            driver.poll(0, (op, res, flags) -> { });
            assertTrue(recv.isInFlight(), "the receive waits for data");
            buf.release();

            NativeBuffer data = NativeBuffer.allocate(4);
            data.buffer().putInt(0, 0x01020304);
            assertEquals(4, LibC.write(b, data.address(), 4));
            int[] result = {Integer.MIN_VALUE};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (result[0] == Integer.MIN_VALUE && System.nanoTime() < deadline) {
                driver.poll(TimeUnit.MILLISECONDS.toNanos(100), (op, res, flags) -> result[0] = res);
            }
            assertEquals(4, result[0]);
        } finally {
            LibC.close(a);
            LibC.close(b);
        }
        alloc.quarantine().verifyAll();
        assertEquals(1, alloc.quarantine().corruptions());
        assertTrue(alloc.quarantine().reports().get(0).contains("4 byte(s) changed, first at offset 0"),
                alloc.quarantine().reports().get(0));
    }
}
