package dev.proactor.runtime.uring;

import com.sun.jna.Pointer;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.uring.UringConstants.Cqe;
import dev.proactor.runtime.uring.UringConstants.Params;
import dev.proactor.runtime.uring.UringConstants.Sqe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One io_uring instance: the ring fd, its three (or, with IORING_FEAT_SINGLE_MMAP, two) mappings, and
 * {@code io_uring_enter} through the registered ring fd when the kernel allows it.
 */
final class UringRing {
    private static final System.Logger LOG = System.getLogger(UringRing.class.getName());

    /** Setup flag sets, best first; a kernel that does not know a flag answers EINVAL and we try the next. */
    private static final int[] SETUP_ATTEMPTS = {
        UringConstants.SETUP_SUBMIT_ALL | UringConstants.SETUP_SINGLE_ISSUER | UringConstants.SETUP_DEFER_TASKRUN,
        UringConstants.SETUP_SUBMIT_ALL | UringConstants.SETUP_COOP_TASKRUN,
        UringConstants.SETUP_SUBMIT_ALL,
        0,
    };

    private final int fd;
    private final int setupFlags;
    private final int features;
    private final long sqRing;
    private final long sqRingSize;
    private final long cqRing;
    private final long cqRingSize;
    private final long sqes;
    private final long sqesSize;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    /** The fd io_uring_enter takes: the registered index, or the ring fd. */
    private final int enterFd;
    private final int enterFlags;
    private boolean closed;

    private UringRing(int fd, NativeBuffer params) {
        ByteBuffer p = params.buffer();
        this.fd = fd;
        this.setupFlags = p.getInt(Params.FLAGS);
        this.features = p.getInt(Params.FEATURES);
        int sqEntries = p.getInt(Params.SQ_ENTRIES);
        int cqEntries = p.getInt(Params.CQ_ENTRIES);
        long sqSize = p.getInt(Params.SQ_ARRAY) + 4L * sqEntries;
        long cqSize = p.getInt(Params.CQ_CQES) + (long) Cqe.SIZE * cqEntries;
        boolean single = (features & UringConstants.FEAT_SINGLE_MMAP) != 0;
        if (single) {
            sqSize = Math.max(sqSize, cqSize);
            cqSize = sqSize;
        }
        long sqAddr = 0;
        long cqAddr = 0;
        long sqesAddr = 0;
        try {
            sqAddr = map(fd, sqSize, UringConstants.OFF_SQ_RING);
            cqAddr = single ? sqAddr : map(fd, cqSize, UringConstants.OFF_CQ_RING);
            sqesAddr = map(fd, (long) Sqe.SIZE * sqEntries, UringConstants.OFF_SQES);
        } catch (RuntimeException e) {
            unmap(sqAddr, sqSize);
            if (!single) {
                unmap(cqAddr, cqSize);
            }
            LibC.close(fd);
            throw e;
        }
        this.sqRing = sqAddr;
        this.sqRingSize = sqSize;
        this.cqRing = cqAddr;
        this.cqRingSize = cqSize;
        this.sqes = sqesAddr;
        this.sqesSize = (long) Sqe.SIZE * sqEntries;
        this.sq = new SubmissionQueue(view(sqRing, sqRingSize), view(sqes, sqesSize), params);
        this.cq = new CompletionQueue(view(cqRing, cqRingSize), params);
        int index = registerRingFd(fd);
        this.enterFd = index >= 0 ? index : fd;
        this.enterFlags = index >= 0 ? UringConstants.ENTER_REGISTERED_RING : 0;
    }

    /**
     * Creates a ring with {@code sqEntries} submission and {@code cqEntries} completion entries (clamped to the
     * kernel's limits) and the best setup flags the kernel accepts; {@code singleIssuer} false skips
     * SINGLE_ISSUER|DEFER_TASKRUN.
     */
    static UringRing create(int sqEntries, int cqEntries, boolean singleIssuer) {
        int base = UringConstants.SETUP_CLAMP | UringConstants.SETUP_CQSIZE;
        int errno = Errno.EINVAL;
        for (int extra : SETUP_ATTEMPTS) {
            if (!singleIssuer && (extra & UringConstants.SETUP_SINGLE_ISSUER) != 0) {
                continue;
            }
            NativeBuffer params = NativeBuffer.allocate(Params.SIZE);
            params.buffer().putInt(Params.FLAGS, base | extra);
            params.buffer().putInt(Params.CQ_ENTRIES, Math.max(cqEntries, sqEntries));
            int fd = UringSyscalls.setup(sqEntries, params.address());
            if (fd >= 0) {
                return new UringRing(fd, params);
            }
            errno = -fd;
            if (errno != Errno.EINVAL) {
                break;
            }
        }
        throw UringProbe.setupFailure(errno);
    }

    private static long map(int fd, long size, long offset) {
        long addr = LibC.mmap(0, size, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE,
                LinuxConstants.MAP_SHARED | LinuxConstants.MAP_POPULATE, fd, offset);
        if (addr == LinuxConstants.MAP_FAILED) {
            throw UringProbe.setupFailure(LibC.errno());
        }
        return addr;
    }

    private static void unmap(long addr, long size) {
        if (addr != 0) {
            LibC.munmap(addr, size);
        }
    }

    private static ByteBuffer view(long addr, long size) {
        return new Pointer(addr).getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    /** IORING_REGISTER_RING_FDS: lets io_uring_enter skip the fd table lookup. Returns the index, or -1. */
    private static int registerRingFd(int fd) {
        NativeBuffer update = NativeBuffer.allocate(16);
        update.buffer().putInt(0, -1); // offset: any free index
        update.buffer().putLong(8, fd);
        int r = UringSyscalls.register(fd, UringConstants.REGISTER_RING_FDS, update.address(), 1);
        return r == 1 ? update.buffer().getInt(0) : -1;
    }

    SubmissionQueue sq() {
        return sq;
    }

    CompletionQueue cq() {
        return cq;
    }

    int setupFlags() {
        return setupFlags;
    }

    int features() {
        return features;
    }

    boolean registeredRingFd() {
        return enterFlags != 0;
    }

    /** io_uring_enter on this ring; returns the count or -errno. */
    int enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        return UringSyscalls.enter(enterFd, toSubmit, minComplete, flags | enterFlags, arg, argSize);
    }

    /** Unregisters, unmaps and closes. Only once the kernel is done with every request. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (enterFlags != 0) {
            NativeBuffer update = NativeBuffer.allocate(16);
            update.buffer().putInt(0, enterFd);
            int r = UringSyscalls.register(fd, UringConstants.UNREGISTER_RING_FDS, update.address(), 1);
            if (r != 1) {
                LOG.log(System.Logger.Level.WARNING, "IORING_UNREGISTER_RING_FDS failed: " + Errno.name(-r));
            }
        }
        unmap(sqes, sqesSize);
        if (cqRing != sqRing) {
            unmap(cqRing, cqRingSize);
        }
        unmap(sqRing, sqRingSize);
        LibC.close(fd);
    }
}
