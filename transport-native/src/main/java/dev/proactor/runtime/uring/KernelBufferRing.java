package dev.proactor.runtime.uring;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.uring.UringConstants.BufReg;
import dev.proactor.runtime.uring.UringConstants.BufRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * io_uring's provided buffer ring (IORING_REGISTER_PBUF_RING) for one buffer group: an array of
 * {@code struct io_uring_buf} in page-aligned memory we allocate and the kernel pins. We add entries at the tail;
 * the kernel keeps its head to itself and takes entries from there when a receive selects a buffer.
 *
 * <p>The ring has as many entries as the group has buffers and a buffer is in it at most once (it enters when
 * provided, leaves when the kernel selects it, and is provided again only after its consumer recycled it), so
 * the tail never laps an entry the kernel has not taken yet.
 */
final class KernelBufferRing implements BufferRing.KernelRing {
    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final int PAGE = 4096;

    private final NativeBuffer entries;
    private final ByteBuffer mem;
    private final int count;
    private final int mask;
    private int tail;
    private int groupId = -1;

    KernelBufferRing(int bufferCount) {
        this.count = bufferCount;
        this.mask = bufferCount - 1;
        // The kernel pins whole pages from ring_addr on: page-aligned, and a whole number of pages.
        int size = (bufferCount * BufRing.ENTRY_SIZE + PAGE - 1) & -PAGE;
        this.entries = NativeBuffer.allocateAligned(size, PAGE);
        this.mem = entries.buffer();
    }

    @Override
    public void provide(int bufferId, long address, int length) {
        int e = (tail & mask) * BufRing.ENTRY_SIZE;
        mem.putLong(e + BufRing.ADDR, address);
        mem.putInt(e + BufRing.LEN, length);
        mem.putShort(e + BufRing.BID, (short) bufferId);
        // resv is not written: in entry 0 it is the tail.
        tail++;
        // Release: the entry's plain stores happen-before the kernel's acquire load of the tail, after which it
        // reads the entry (io_uring's buffer select does smp_load_acquire(&br->tail)).
        SHORT.setRelease(mem, BufRing.TAIL, (short) tail);
    }

    /** IORING_REGISTER_PBUF_RING as {@code groupId}; 0 or -errno. */
    int register(UringRing ring, int groupId) {
        int r = ring.register(UringConstants.REGISTER_PBUF_RING, registration(groupId).address(), 1);
        if (r == 0) {
            this.groupId = groupId;
        }
        return r;
    }

    /** IORING_UNREGISTER_PBUF_RING: only once no request can select from it any more. 0 or -errno. */
    int unregister(UringRing ring) {
        int r = ring.register(UringConstants.UNREGISTER_PBUF_RING, registration(groupId).address(), 1);
        if (r == 0) {
            groupId = -1;
        }
        return r;
    }

    boolean isRegistered() {
        return groupId >= 0;
    }

    int groupId() {
        return groupId;
    }

    private NativeBuffer registration(int group) {
        NativeBuffer reg = NativeBuffer.allocate(BufReg.SIZE); // zeroed: flags 0 (our memory), resv 0
        reg.buffer().putLong(BufReg.RING_ADDR, entries.address());
        reg.buffer().putInt(BufReg.RING_ENTRIES, count);
        reg.buffer().putShort(BufReg.BGID, (short) group);
        return reg;
    }
}
