package dev.proactor.runtime.uring;

import dev.proactor.runtime.OwnerThread;
import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.BufferRings;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverCounters;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.InFlightOps;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.OpCode;
import dev.proactor.runtime.linux.LibC;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import static dev.proactor.runtime.uring.UringConstants.*;

/**
 * The io_uring driver: raw syscalls, rings mmap'ed and read and written from Java, one io_uring_enter per
 * {@link #poll} (submission and wait together), no native call and no allocation per op in steady state.
 *
 * <p>Every user op occupies an {@link InFlightOps} slot; the slot and its generation are the SQE's user_data.
 * Internal requests (the wake read, cancels, poll-wait timeouts) carry a tag in user_data and their CQEs are
 * consumed here, never delivered.
 */
public final class UringDriver implements Driver {
    private static final System.Logger LOG = System.getLogger(UringDriver.class.getName());

    private static final long CLOSE_TIMEOUT_NANOS = 10_000_000_000L;
    private static final long CLOSE_STEP_NANOS = 100_000_000L;
    private static final int MAX_OVERFLOW_ROUNDS = 64;

    /** Memory of drivers whose close timed out while the kernel still had requests: never freed. */
    private static final List<Object> LEAKED = Collections.synchronizedList(new ArrayList<>());

    // Layout of the driver's own native memory (waitMemory).
    private static final int WAIT_ARG = 0;          // struct io_uring_getevents_arg (24 bytes)
    private static final int WAIT_TIMESPEC = 24;    // its timespec
    private static final int WAKE_BUFFER = 40;      // the eventfd read's 8 bytes
    private static final int TIMEOUT_TIMESPEC = 48; // timespec of the poll-wait TIMEOUT SQE (no EXT_ARG)
    private static final int WAIT_MEMORY_SIZE = 64;
    private static final int GETEVENTS_ARG_SIZE = 24;

    private static final long WAKE_USER_DATA = UserData.internal(UserData.TAG_WAKE, 0);

    private final Thread owner;
    private final UringRing ring;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final InFlightOps ops;
    private final OpScratch scratch = new OpScratch();
    private final OpEncoder encoder;
    private final CompletionBacklog backlog = new CompletionBacklog();
    private final WakeEventFd wakeFd;
    private final NativeBuffer waitMemory = NativeBuffer.allocate(WAIT_MEMORY_SIZE);
    private final boolean extArg;
    private final boolean multishotAccept;
    /** Buffer rings registered with the kernel and multishot recv; else provided buffers are emulated. */
    private final boolean nativeBufferRings;
    private final BufferRings bufferRings = new BufferRings();
    private final List<KernelBufferRing> kernelRings = new ArrayList<>();

    /** Per slot: generation of the current submission, and whether cancel was asked for. */
    private int[] generations;
    private boolean[] cancelRequested;
    /** Per slot, for emulated provided-buffer receives: the buffer lent to the RECV in flight, or -1. */
    private int[] lentBuffer;

    private boolean wakeArmed;
    /** wake() was called on the owner thread: the next poll must not block. */
    private boolean selfWake;
    /** The current poll has been woken (the wake eventfd's read completed). */
    private boolean woken;
    private boolean waitTimedOut;
    private int waitSequence;
    /** Cancels and poll-wait timeouts whose CQE has not arrived. */
    private int internalInFlight;
    private boolean polling;
    private boolean closing;
    private boolean closed;

    private final DriverCounters counters = new DriverCounters(DriverKind.IO_URING);
    private long overflowFlushes;
    private long emulatedRecvReissues;

    private UringDriver(DriverConfig config, UringFeatures features) {
        this.owner = Thread.currentThread();
        this.ring = UringRing.create(config.submissionEntries(), config.completionEntries(),
                UringOptions.singleIssuer());
        try {
            this.sq = ring.sq();
            this.cq = ring.cq();
            this.ops = new InFlightOps(config.submissionEntries(), counters);
            this.generations = new int[ops.capacity()];
            this.cancelRequested = new boolean[ops.capacity()];
            this.lentBuffer = new int[ops.capacity()];
            Arrays.fill(lentBuffer, -1);
            this.extArg = (ring.features() & FEAT_EXT_ARG) != 0 && UringOptions.extArg();
            this.multishotAccept = features.multishotAccept() && UringOptions.multishotAccept();
            this.nativeBufferRings = features.multishotRecv() && UringOptions.bufferRings();
            // RECVSEND_POLL_FIRST came with 5.19, as did IORING_OP_SOCKET (which multishotAccept() probes).
            this.encoder = new OpEncoder(sq, scratch, multishotAccept, features.multishotAccept());
            ByteBuffer w = waitMemory.buffer();
            w.putLong(WAIT_ARG, 0L);                                  // sigmask
            w.putInt(WAIT_ARG + 8, SIGSET_SIZE);                      // sigmask_sz
            w.putInt(WAIT_ARG + 12, 0);                               // pad
            w.putLong(WAIT_ARG + 16, waitMemory.address() + WAIT_TIMESPEC); // ts
            this.wakeFd = WakeEventFd.create();
        } catch (RuntimeException | Error e) {
            ring.close();
            throw e;
        }
        armWake();
    }

    /** Null if io_uring can run here, else why not (errno named). {@code -Dproactor.uring.disable=true} forces the latter. */
    public static DriverUnavailableException unavailabilityCause() {
        return UringProbe.unavailabilityCause();
    }

    /** Opens an io_uring driver owned by the calling thread. */
    public static Driver open(DriverConfig config) {
        DriverUnavailableException why = unavailabilityCause();
        if (why != null) {
            throw why;
        }
        return new UringDriver(config, UringProbe.features());
    }

    @Override
    public DriverKind kind() {
        return DriverKind.IO_URING;
    }

    // ---------------------------------------------------------------- submit / cancel

    @Override
    public void submit(Op op) {
        checkUsable();
        if (op.isInFlight()) {
            throw new IllegalStateException("operation is already in flight: " + op);
        }
        BufferRing group = op.code() == OpCode.RECV_PROVIDED ? bufferRings.get(op.bufferGroup()) : null;
        reserveSqe();
        int slot = ops.add(op);
        ensureSlot(slot);
        int generation = (generations[slot] + 1) & UserData.GENERATION_MASK;
        generations[slot] = generation;
        cancelRequested[slot] = false;
        lentBuffer[slot] = -1;
        long ud = UserData.op(slot, generation);
        if (group != null && !group.kernelManaged()) {
            if (!issueEmulatedRecv(op, group, slot, ud)) {
                backlog.add(ud, -Errno.ENOBUFS, 0); // as the kernel answers with an empty ring; the next poll delivers it
            }
        } else {
            encoder.encode(op, slot, ud);
        }
    }

    /**
     * Emulated buffer select: lends an available buffer of {@code group} to a plain RECV. The caller has made room
     * in the SQ. Returns false, queueing nothing, if no buffer is available.
     */
    private boolean issueEmulatedRecv(Op op, BufferRing group, int slot, long ud) {
        int id = group.take();
        if (id < 0) {
            return false;
        }
        lentBuffer[slot] = id;
        encoder.encodeRecvInto(op, group.address(id), group.bufferSize(), ud);
        return true;
    }

    @Override
    public BufferRing registerBufferRing(int groupId, int bufferCount, int bufferSize) {
        checkUsable();
        BufferRing.checkArguments(groupId, bufferCount, bufferSize);
        bufferRings.checkUnused(groupId);
        if (nativeBufferRings) {
            KernelBufferRing kernel = new KernelBufferRing(bufferCount);
            BufferRing group = new BufferRing(groupId, bufferCount, bufferSize, kernel, counters);
            int r = kernel.register(ring, groupId);
            if (r == 0) {
                kernelRings.add(kernel);
                return bufferRings.add(group);
            }
            if (r != -Errno.EINVAL) {
                throw new UncheckedIOException(ErrnoException.of("IORING_REGISTER_PBUF_RING", -r));
            }
            LOG.log(System.Logger.Level.WARNING, "IORING_REGISTER_PBUF_RING refused with EINVAL: buffer group "
                    + groupId + " is emulated");
        }
        return bufferRings.add(new BufferRing(groupId, bufferCount, bufferSize, null, counters));
    }

    @Override
    public boolean cancel(Op op) {
        checkUsable();
        int slot = op.slot();
        if (slot < 0 || ops.get(slot) != op) {
            return false;
        }
        cancelRequested[slot] = true;
        counters.cancelRequested();
        queueCancel(UserData.op(slot, generations[slot]));
        return true;
    }

    private void ensureSlot(int slot) {
        if (slot >= generations.length) {
            int cap = Math.max(ops.capacity(), slot + 1);
            generations = Arrays.copyOf(generations, cap);
            cancelRequested = Arrays.copyOf(cancelRequested, cap);
            int old = lentBuffer.length;
            lentBuffer = Arrays.copyOf(lentBuffer, cap);
            Arrays.fill(lentBuffer, old, cap, -1);
        }
        scratch.ensure(slot);
    }

    private void queueCancel(long target) {
        reserveSqe();
        sq.add(OP_ASYNC_CANCEL, 0, -1, 0, target, 0, 0, UserData.internal(UserData.TAG_CANCEL, 0), 0);
        internalInFlight++;
    }

    private void armWake() {
        reserveSqe();
        sq.add(OP_READ, 0, wakeFd.fd(), 0, waitMemory.address() + WAKE_BUFFER, 8, 0, WAKE_USER_DATA, 0);
        wakeArmed = true;
    }

    /** Makes room for one SQE: a full SQ is submitted (never dropped). */
    private void reserveSqe() {
        while (!sq.hasSpace()) {
            submitQueued();
        }
    }

    /** Submits what is queued without waiting or reaping (the SQ is full in the middle of a batch). */
    private void submitQueued() {
        for (int attempt = 0; ; attempt++) {
            int toSubmit = sq.publish();
            if (toSubmit == 0) {
                return;
            }
            int r = enter(toSubmit, 0, 0, 0, SIGSET_SIZE);
            if (r >= 0 || r == -Errno.EINTR) {
                return;
            }
            if ((r == -Errno.EBUSY || r == -Errno.EAGAIN) && attempt < 1000) {
                // The kernel wants CQ room first (EBUSY before 5.19) or memory (EAGAIN): free the CQ into the backlog.
                stashCompletions();
                if (r == -Errno.EAGAIN) {
                    Thread.yield();
                }
                continue;
            }
            throw new UncheckedIOException(ErrnoException.of("io_uring_enter", -r));
        }
    }

    private void stashCompletions() {
        for (int n = cq.ready(); n > 0; n--) {
            int e = cq.peek();
            backlog.add(cq.userData(e), cq.result(e), cq.flags(e));
            cq.advance();
        }
    }

    /** Tests: submits what is queued now, without reaping (as a full SQ does). */
    void flushSubmissions() {
        checkUsable();
        submitQueued();
    }

    // ---------------------------------------------------------------- poll

    @Override
    public int poll(long timeoutNanos, CompletionHandler handler) {
        checkUsable();
        Objects.requireNonNull(handler, "handler");
        if (polling) {
            throw new IllegalStateException("poll called from a completion handler");
        }
        counters.polled();
        polling = true;
        woken = false;
        waitTimedOut = false;
        try {
            long timeout = timeoutNanos;
            if (selfWake) {
                selfWake = false;
                timeout = 0;
            }
            long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
            int delivered = 0;
            int overflowRounds = 0;
            for (;;) {
                int toSubmit = sq.publish();
                boolean overflow = sq.cqOverflow();
                boolean empty = backlog.isEmpty() && cq.ready() == 0;
                // Skip the syscall only when there is nothing to submit and completions are already here.
                if (toSubmit > 0 || empty || overflow) {
                    long wait = 0;
                    if (empty && !overflow && !woken && timeout != 0) {
                        wait = timeout < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
                    }
                    enterAndWait(toSubmit, wait);
                }
                delivered += reap(handler);
                if (sq.cqOverflow() && overflowRounds++ < MAX_OVERFLOW_ROUNDS) {
                    // NODROP kept CQEs that did not fit: an enter with GETEVENTS moves them into the CQ.
                    overflowFlushes++;
                    continue;
                }
                if (delivered > 0 || timeout == 0 || woken || waitTimedOut) {
                    return delivered;
                }
                if (timeout > 0 && deadline - System.nanoTime() <= 0) {
                    return 0;
                }
                // Only internal completions (cancels, a stale wait timeout) arrived: wait for the rest.
            }
        } finally {
            polling = false;
        }
    }

    /**
     * The one io_uring_enter of a poll: submits {@code toSubmit}, runs deferred task work and waits for one
     * completion for at most {@code waitNanos} (0: do not wait; negative: no limit).
     */
    private void enterAndWait(int toSubmit, long waitNanos) {
        int flags = ENTER_GETEVENTS;
        long arg = 0;
        long argSize = SIGSET_SIZE;
        int minComplete = 0;
        if (waitNanos != 0) {
            minComplete = 1;
            if (waitNanos > 0) {
                if (extArg) {
                    putTimespec(WAIT_TIMESPEC, waitNanos);
                    flags |= ENTER_EXT_ARG;
                    arg = waitMemory.address() + WAIT_ARG;
                    argSize = GETEVENTS_ARG_SIZE;
                } else {
                    queueWaitTimeout(waitNanos);
                    toSubmit = sq.publish();
                }
            }
        }
        int r = enter(toSubmit, minComplete, flags, arg, argSize);
        if (r >= 0) {
            return;
        }
        switch (-r) {
            case Errno.ETIME:
                waitTimedOut = true;
                break;
            case Errno.EINTR:
                // A signal is not a wake-up: the poll loop waits again for what is left of the timeout.
                break;
            case Errno.EBUSY:
            case Errno.EAGAIN:
                // CQ full or overflowed (older kernels), or no memory for requests: reap, then try again.
                break;
            case EBADR:
                LOG.log(System.Logger.Level.ERROR, "io_uring dropped completions (" + cq.dropped()
                        + " so far): the operations concerned will never complete; their memory is leaked");
                break;
            default:
                throw new UncheckedIOException(ErrnoException.of("io_uring_enter", -r));
        }
    }

    /** Without EXT_ARG the wait is bounded by a TIMEOUT SQE that also ends as soon as one other CQE is posted. */
    private void queueWaitTimeout(long nanos) {
        reserveSqe();
        putTimespec(TIMEOUT_TIMESPEC, nanos);
        waitSequence++;
        // off = 1: complete after one completion or when the time is up. The kernel copies the timespec at submission.
        sq.add(OP_TIMEOUT, 0, -1, 1, waitMemory.address() + TIMEOUT_TIMESPEC, 1, 0,
                UserData.internal(UserData.TAG_WAIT_TIMEOUT, waitSequence), 0);
        internalInFlight++;
    }

    private void putTimespec(int offset, long nanos) {
        waitMemory.buffer().putLong(offset, nanos / 1_000_000_000L);
        waitMemory.buffer().putLong(offset + 8, nanos % 1_000_000_000L);
    }

    private int enter(int toSubmit, int minComplete, int flags, long arg, long argSize) {
        counters.enteredKernel();
        return ring.enter(toSubmit, minComplete, flags, arg, argSize);
    }

    /** Delivers the backlog and every CQE in the ring; returns the number delivered to the handler. */
    private int reap(CompletionHandler handler) {
        int delivered = 0;
        while (!backlog.isEmpty()) {
            long ud = backlog.userData();
            int res = backlog.result();
            int flags = backlog.flags();
            backlog.remove();
            delivered += dispatch(ud, res, flags, handler);
        }
        for (int pass = 0; pass < 2; pass++) {
            int ready = cq.ready();
            if (ready == 0) {
                break;
            }
            // cq.ready() again: a handler's submission may have moved the CQ into the backlog (full SQ, EBUSY).
            for (; ready > 0 && cq.ready() > 0; ready--) {
                int e = cq.peek();
                long ud = cq.userData(e);
                int res = cq.result(e);
                int flags = cq.flags(e);
                cq.advance();
                delivered += dispatch(ud, res, flags, handler);
            }
        }
        return delivered;
    }

    private int dispatch(long ud, int res, int flags, CompletionHandler handler) {
        switch (UserData.tag(ud)) {
            case UserData.TAG_OP:
                return completeOp(ud, res, flags, handler);
            case UserData.TAG_WAKE:
                wakeCompleted(res);
                return 0;
            case UserData.TAG_CANCEL:
                internalInFlight--;
                return 0;
            case UserData.TAG_WAIT_TIMEOUT:
                internalInFlight--;
                if (res == -Errno.ETIME && UserData.sequence(ud) == waitSequence) {
                    waitTimedOut = true;
                }
                return 0;
            default:
                LOG.log(System.Logger.Level.WARNING, "completion with unknown user_data 0x" + Long.toHexString(ud));
                return 0;
        }
    }

    private void wakeCompleted(int res) {
        wakeArmed = false;
        woken = true;
        if (closing) {
            return;
        }
        wakeFd.consumed();
        if (res >= 0 || res == -Errno.EINTR || res == -Errno.EAGAIN || res == -Errno.ECANCELED) {
            armWake();
        } else {
            LOG.log(System.Logger.Level.ERROR, "wake eventfd read failed: " + Errno.name(res)
                    + "; wake() from other threads no longer interrupts poll");
        }
    }

    private int completeOp(long ud, int res, int flags, CompletionHandler handler) {
        int slot = UserData.slot(ud);
        Op op = ops.get(slot);
        if (op == null || generations[slot] != UserData.generation(ud)) {
            LOG.log(System.Logger.Level.WARNING, "completion for no operation in flight: slot " + slot + " result " + res);
            return 0;
        }
        if (op.code() == OpCode.RECV_PROVIDED) {
            return providedRecvCompleted(op, slot, ud, res, flags, handler);
        }
        if (closing) {
            if (op.code() == OpCode.ACCEPT && res >= 0) {
                LibC.close(res); // accepted while closing: nobody will ever see this socket
            }
            if (!Completion.hasMore(flags)) {
                ops.completeSilently(op);
            }
            return 0;
        }
        if (op.isMultishot() && !multishotAccept && res >= 0 && !cancelRequested[slot]) {
            return emulatedAcceptCompleted(op, slot, ud, res, flags, handler);
        }
        ops.complete(op, res, flags, handler);
        return 1;
    }

    /**
     * A receive into provided buffers. With a kernel ring the CQE names the buffer the kernel selected; emulated,
     * the buffer lent to the RECV is handed out (if it got data) or given back, and a multishot goes on with the
     * next available buffer (or ends with -ENOBUFS, as the kernel's does).
     */
    private int providedRecvCompleted(Op op, int slot, long ud, int res, int flags, CompletionHandler handler) {
        BufferRing group = bufferRings.get(op.bufferGroup());
        int lent = lentBuffer[slot];
        lentBuffer[slot] = -1;
        boolean filled = res > 0 && !closing;
        if (lent >= 0) {
            if (filled) {
                group.handOut(lent);
                flags = (flags & Completion.SOCK_NONEMPTY) | Completion.withBuffer(lent);
            } else {
                group.giveBack(lent);
            }
        } else if (Completion.hasBuffer(flags) && !closing) {
            group.handOut(Completion.bufferId(flags));
        }
        if (closing) {
            // A buffer the kernel filled now is never handed out: the ring is unregistered once all is drained.
            if (!Completion.hasMore(flags)) {
                ops.completeSilently(op);
            }
            return 0;
        }
        if (lent < 0 || !filled || !op.isMultishot() || cancelRequested[slot]) {
            ops.complete(op, res, flags, handler);
            return 1;
        }
        ops.complete(op, res, flags | Completion.MORE, handler);
        int end;
        if (cancelRequested[slot]) {
            end = -Errno.ECANCELED; // cancelled from the handler: no RECV is pending in the kernel, so this is the end
        } else {
            reserveSqe();
            if (issueEmulatedRecv(op, group, slot, ud)) {
                emulatedRecvReissues++;
                return 1;
            }
            end = -Errno.ENOBUFS;
        }
        ops.complete(op, end, 0, handler);
        return 2;
    }

    /** Multishot accept without kernel support: deliver with MORE and accept again, until an error or cancel. */
    private int emulatedAcceptCompleted(Op op, int slot, long ud, int res, int flags, CompletionHandler handler) {
        ops.complete(op, res, flags | Completion.MORE, handler);
        if (cancelRequested[slot]) {
            // Cancelled from the handler: no accept is pending in the kernel, so this is the final completion.
                ops.complete(op, -Errno.ECANCELED, 0, handler);
            return 2;
        }
        reserveSqe();
        encoder.encode(op, slot, ud);
        return 1;
    }

    // ---------------------------------------------------------------- wake, close

    @Override
    public void wake() {
        if (Thread.currentThread() == owner) {
            selfWake = true;
        } else {
            wakeFd.signal(); // a no-op once close has begun
        }
    }

    @Override
    public int inFlight() {
        return ops.size();
    }

    @Override
    public void close() {
        shutdown(CLOSE_TIMEOUT_NANOS, true);
    }

    /**
     * Close: cancel what is in flight (unless {@code cancel} is false, which tests use to play an unresponsive
     * kernel), reap until every final CQE has arrived or {@code timeoutNanos} passed, release the owners of the
     * finished ops, and free the ring. Returns false if the kernel did not answer in time: the ring and all
     * memory still in use are then leaked, never freed.
     */
    boolean shutdown(long timeoutNanos, boolean cancel) {
        if (closed) {
            return true;
        }
        checkOwner();
        if (polling) {
            throw new IllegalStateException("close called from a completion handler");
        }
        closing = true;
        bufferRings.closeAll(); // no more buffers lent or provided, no waiting actions run (they would submit)
        boolean writeMayBeUnderWay = wakeFd.shutdown();
        boolean wakeWasArmed = wakeArmed;
        try {
            if (cancel) {
                ops.forEach(op -> queueCancel(UserData.op(op.slot(), generations[op.slot()])));
            }
            if (wakeArmed && !writeMayBeUnderWay) {
                queueCancel(WAKE_USER_DATA);
            }
            // else the claimed write will complete the armed read; the eventfd must stay open until it has.
            long deadline = System.nanoTime() + timeoutNanos;
            while (ops.size() > 0 || internalInFlight > 0 || wakeArmed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                enterAndWait(sq.publish(), Math.min(left, CLOSE_STEP_NANOS));
                reap(null);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "io_uring driver close failed", e);
        } finally {
            closed = true;
        }
        if (ops.size() > 0 || internalInFlight > 0 || wakeArmed) {
            LOG.log(System.Logger.Level.ERROR, "io_uring driver closed with " + ops.size() + " operations, "
                    + internalInFlight + " internal requests" + (wakeArmed ? " and the wake read" : "")
                    + " still unanswered by the kernel after " + timeoutNanos / 1_000_000 + " ms;"
                    + " leaking the ring and the memory they use instead of freeing it");
            LEAKED.add(new Object[] {ring, ops, scratch, waitMemory, wakeFd, bufferRings, kernelRings});
            return false;
        }
        unregisterBufferRings();
        ring.close();
        if (writeMayBeUnderWay && !wakeWasArmed) {
            LEAKED.add(wakeFd); // no read saw the claimed write, which may still come: never close an fd a writer may use
        } else {
            wakeFd.close();
        }
        return true;
    }

    /** At close, once nothing in flight can select a buffer any more: the kernel lets go of the rings' memory. */
    private void unregisterBufferRings() {
        for (KernelBufferRing k : kernelRings) {
            int r = k.unregister(ring);
            if (r != 0) {
                LOG.log(System.Logger.Level.WARNING, "IORING_UNREGISTER_PBUF_RING failed: " + Errno.name(-r)
                        + "; the ring's memory is released with the io_uring instance");
            }
        }
    }

    // ---------------------------------------------------------------- checks and counters

    private void checkUsable() {
        checkOwner();
        if (closed || closing) {
            throw new IllegalStateException("io_uring driver is closed");
        }
    }

    private void checkOwner() {
        OwnerThread.check(owner, "io_uring");
    }

    @Override
    public DriverStats stats() {
        return counters.snapshot();
    }

    /** io_uring_enter calls made so far. */
    public long enterCalls() {
        return stats().kernelWaits();
    }

    /** Operations accepted by {@link #submit}. */
    public long submittedOps() {
        return stats().submitted();
    }

    /** Completions delivered to handlers. */
    public long completions() {
        return stats().completions();
    }

    /** Extra enters made to move overflowed CQEs into the CQ. */
    public long overflowFlushes() {
        return overflowFlushes;
    }

    /** The IORING_SETUP_* flags the ring was created with. */
    public int setupFlags() {
        return ring.setupFlags();
    }

    /** Whether io_uring_enter goes through a registered ring fd. */
    public boolean usesRegisteredRingFd() {
        return ring.registeredRingFd();
    }

    /** Whether ACCEPT_MULTISHOT uses the kernel's multishot accept (else it is emulated). */
    public boolean nativeMultishotAccept() {
        return multishotAccept;
    }

    /**
     * Whether provided buffers are kernel buffer rings (IORING_REGISTER_PBUF_RING) and multishot receives the
     * kernel's (IORING_RECV_MULTISHOT); else both are emulated with single RECVs into buffers the driver picks.
     */
    public boolean nativeBufferRings() {
        return nativeBufferRings;
    }

    /** Tests: the kernel buffer rings registered so far. */
    List<KernelBufferRing> kernelRings() {
        return Collections.unmodifiableList(kernelRings);
    }

    /** Emulated multishot receives: RECVs issued again after a completion (0 when the kernel's multishot is used). */
    public long emulatedRecvReissues() {
        return emulatedRecvReissues;
    }

    /** Whether timed waits use IORING_ENTER_EXT_ARG (else a TIMEOUT SQE). */
    public boolean usesExtArg() {
        return extArg;
    }

    @Override
    public String toString() {
        return "UringDriver[sq=" + sq.entries() + " cq=" + cq.entries() + " setup=0x" + Integer.toHexString(setupFlags())
                + " " + UringProbe.features() + (usesRegisteredRingFd() ? " registered-ring" : "") + "]";
    }
}
