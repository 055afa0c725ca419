package dev.proactor.runtime.iocp;

import dev.proactor.runtime.OwnerThread;
import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.BufferRings;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverCounters;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.InFlightOps;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.OpCode;
import dev.proactor.runtime.WinError;
import dev.proactor.runtime.poll.TimerHeap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The IOCP driver: one completion port per driver (concurrency 1), overlapped Winsock and file calls, packets
 * dequeued in batches with GetQueuedCompletionStatusEx.
 *
 * <p>{@link #submit} makes the call at once. Handles are associated with the port on first use with
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, so a call that succeeds at once queues no packet: its result, like
 * that of a call that fails at once, a NOP, a SHUTDOWN or a CLOSE, waits in a {@link ReadyQueue} for the next
 * {@link #poll} (nothing is ever delivered inside submit). A pending call's packet names its OVERLAPPED, which
 * lives in the slot's {@link OverlappedMemory}: the slot, and with it that memory and the op's owner, is
 * released only when that packet has been dequeued. TIMEOUTs are driver timers that bound the wait.
 *
 * <p>Cancel is CancelIoEx; the aborted call's packet (ERROR_OPERATION_ABORTED) completes the op with
 * -ECANCELED. Closing a port does not cancel overlapped I/O, so {@link #close} cancels every pending call and
 * dequeues until each packet has arrived; if some never do, the port and all memory are leaked, never freed.
 *
 * <p>Provided buffers ({@link BufferRing}) are picked by the driver: a RECV_PROVIDED borrows an available
 * buffer of its group for one overlapped WSARecv; the buffer is handed out with a completion that got data and
 * given back otherwise; a multishot one then receives again into the next buffer, or ends with -ENOBUFS when
 * none is available (as io_uring does).
 *
 * <p>A handle can only be associated with one port. When another driver's handle is used here, its packets
 * reach that driver's port, which forwards them to the port recorded next to the OVERLAPPED.
 */
public final class IocpDriver implements Driver {
    private static final System.Logger LOG = System.getLogger(IocpDriver.class.getName());

    /** Completion key of every handle a Proactor driver associates. */
    static final long IO_KEY = 0x50524f4143544f52L;
    /** Completion key of wake-up packets (no OVERLAPPED). */
    static final long WAKE_KEY = IO_KEY + 1;

    private static final long CLOSE_TIMEOUT_NANOS = 10_000_000_000L;
    private static final long CLOSE_STEP_NANOS = 100_000_000L;
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;
    private static final long POLL_RECHECK_NANOS = 1_000_000L;
    private static final int ENTRY_SIZE = 32; // OVERLAPPED_ENTRY { key; overlapped; Internal; DWORD bytes; }
    private static final int MAX_ENTRIES = 1024;

    /** Ports and memory of drivers whose close timed out while the kernel still had calls: never freed. */
    private static final List<Object> LEAKED = Collections.synchronizedList(new ArrayList<>());

    private static final byte IDLE = 0;
    private static final byte READY = 1;     // result in the ready queue
    private static final byte TIMER = 2;     // TIMEOUT in the timer heap
    private static final byte KERNEL = 3;    // overlapped call pending: its packet will come
    private static final byte RECHECK = 4;   // POLL waiting to ask WSAPoll again (timer heap)
    private static final byte DELIVERING = 5; // a multishot completion being handed to the handler

    private final Thread owner;
    private final long port;
    private final DriverCounters counters = new DriverCounters(DriverKind.IOCP);
    private final InFlightOps ops;
    private final OverlappedMemory memory;
    private final PortAssociations associations;
    private final OverlappedOps io;
    private final ReadyQueue ready = new ReadyQueue();
    private final TimerHeap timers;
    private final NativeBuffer entries;
    private final ByteBuffer entriesMemory;
    private final int maxEntries;
    private final CallerMemory foreign = new CallerMemory();
    private final BufferRings bufferRings = new BufferRings();

    private final AtomicBoolean wakePosted = new AtomicBoolean();
    private final Object portLock = new Object();
    private boolean portOpen = true; // guarded by portLock: wake() never posts to a closed (maybe reused) handle

    private byte[] state;
    private boolean[] cancelRequested;
    /** By slot: the provided buffer lent to the RECV_PROVIDED in flight, or -1. */
    private int[] lentBuffer;
    private int kernelCalls;

    private CompletionHandler handler;
    private boolean polling;
    private boolean woken;
    private boolean selfWake;
    private boolean closing;
    private boolean closed;

    private long packets;
    private long strayPackets;
    private long forwardedPackets;
    private long immediateCompletions;

    private IocpDriver(DriverConfig config, WinsockExtensions extensions) {
        this.owner = Thread.currentThread();
        long p = Kernel32.CreateIoCompletionPort(Kernel32.INVALID_HANDLE_VALUE, 0, 0, 1);
        if (p == 0) {
            throw new UncheckedIOException(ErrnoException.ofWindows("CreateIoCompletionPort", Kernel32.lastError()));
        }
        this.port = p;
        this.ops = new InFlightOps(Math.max(64, config.submissionEntries()), counters);
        this.memory = new OverlappedMemory(p);
        this.associations = new PortAssociations(p);
        this.io = new OverlappedOps(memory, associations, extensions, ops.capacity());
        this.timers = new TimerHeap(ops.capacity());
        this.state = new byte[ops.capacity()];
        this.cancelRequested = new boolean[ops.capacity()];
        this.lentBuffer = new int[ops.capacity()];
        Arrays.fill(lentBuffer, -1);
        this.maxEntries = Math.max(16, Math.min(MAX_ENTRIES, config.completionEntries()));
        this.entries = NativeBuffer.allocate(maxEntries * ENTRY_SIZE + 8);
        this.entriesMemory = entries.buffer();
    }

    static Driver open(DriverConfig config) throws IOException {
        return new IocpDriver(config, WinsockExtensions.get());
    }

    @Override
    public DriverKind kind() {
        return DriverKind.IOCP;
    }

    // ---------------------------------------------------------------- submit / cancel

    @Override
    public void submit(Op op) {
        checkUsable();
        if (op.isInFlight()) {
            throw new IllegalStateException("operation is already in flight: " + op);
        }
        if (op.code() == OpCode.RECV_PROVIDED) {
            bufferRings.get(op.bufferGroup()); // an unknown group fails here, not at completion
        }
        int slot = ops.add(op);
        ensureSlots(ops.capacity());
        memory.ensure(slot);
        cancelRequested[slot] = false;
        start(op, slot);
    }

    private void ensureSlots(int capacity) {
        if (capacity > state.length) {
            state = Arrays.copyOf(state, capacity);
            cancelRequested = Arrays.copyOf(cancelRequested, capacity);
            int old = lentBuffer.length;
            lentBuffer = Arrays.copyOf(lentBuffer, capacity);
            Arrays.fill(lentBuffer, old, capacity, -1);
            timers.ensureSlots(capacity);
            io.ensureSlots(capacity);
        }
    }

    private void start(Op op, int slot) {
        switch (op.code()) {
            case NOP:
                makeReady(slot, 0, 0);
                break;
            case TIMEOUT:
                state[slot] = TIMER;
                timers.add(slot, System.nanoTime() + Math.min(op.offset(), MAX_TIMEOUT_NANOS));
                break;
            case CLOSE:
                counters.calledDirectly();
                makeReady(slot, io.close(op), 0);
                break;
            case SHUTDOWN:
                counters.calledDirectly();
                makeReady(slot, io.shutdown(op), 0);
                break;
            case ACCEPT:
                int r = io.beginAccept(op, slot);
                if (r < 0) {
                    makeReady(slot, r, 0);
                } else {
                    issue(op, slot);
                }
                break;
            default:
                issue(op, slot);
        }
    }

    @Override
    public BufferRing registerBufferRing(int groupId, int bufferCount, int bufferSize) {
        checkUsable();
        BufferRing.checkArguments(groupId, bufferCount, bufferSize);
        bufferRings.checkUnused(groupId);
        return bufferRings.add(new BufferRing(groupId, bufferCount, bufferSize, null, counters));
    }

    private void issue(Op op, int slot) {
        int r;
        if (op.code() == OpCode.RECV_PROVIDED) {
            BufferRing group = bufferRings.get(op.bufferGroup());
            int id = group.take();
            if (id < 0) {
                makeReady(slot, -Errno.ENOBUFS, 0);
                return;
            }
            lentBuffer[slot] = id;
            counters.calledDirectly();
            r = io.recvInto(op, slot, group.address(id), group.bufferSize());
        } else {
            counters.calledDirectly();
            r = io.issue(op, slot);
        }
        if (r == OverlappedOps.PENDING) {
            state[slot] = KERNEL;
            kernelCalls++;
        } else if (r == OverlappedOps.RECHECK) {
            recheckLater(slot);
        } else {
            immediateCompletions++;
            makeReady(slot, r, completionFlags(op, slot, r));
        }
    }

    private void recheckLater(int slot) {
        state[slot] = RECHECK;
        timers.add(slot, System.nanoTime() + POLL_RECHECK_NANOS);
    }

    private void makeReady(int slot, int result, int flags) {
        state[slot] = READY;
        ready.add(slot, result, flags);
    }

    /**
     * The flags of a completion, decided when its result is known: MORE for a multishot that goes on; a lent
     * provided buffer is handed out (BUFFER and its id) if it got data, else given back; SOCK_NONEMPTY when a
     * receive filled the whole buffer (there may be more).
     */
    private int completionFlags(Op op, int slot, int result) {
        if (op.code() == OpCode.RECV_PROVIDED) {
            return providedFlags(op, slot, result);
        }
        if (op.isMultishot() && result >= 0 && !cancelRequested[slot]) {
            return Completion.MORE;
        }
        if (op.code() == OpCode.RECV && result > 0 && result == op.length()) {
            return Completion.SOCK_NONEMPTY;
        }
        return 0;
    }

    private int providedFlags(Op op, int slot, int result) {
        BufferRing group = bufferRings.get(op.bufferGroup());
        int id = lentBuffer[slot];
        lentBuffer[slot] = -1;
        if (id < 0) {
            return 0;
        }
        if (result <= 0 || closing) {
            group.giveBack(id);
            return 0;
        }
        group.handOut(id);
        int flags = Completion.withBuffer(id);
        if (result == group.bufferSize()) {
            flags |= Completion.SOCK_NONEMPTY;
        }
        if (op.isMultishot() && !cancelRequested[slot]) {
            flags |= Completion.MORE;
        }
        return flags;
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
        switch (state[slot]) {
            case TIMER:
            case RECHECK:
                timers.remove(slot);
                makeReady(slot, -Errno.ECANCELED, 0);
                break;
            case KERNEL:
                // ERROR_NOT_FOUND: it finished and its packet is queued; an invalid handle: closed, packet coming.
                Kernel32.CancelIoEx(OverlappedOps.ioHandle(op), memory.overlapped(slot));
                break;
            default:
                // READY: its completion waits for the next poll; DELIVERING: ends after the handler returns.
                break;
        }
        return true;
    }

    // ---------------------------------------------------------------- poll

    @Override
    public int poll(long timeoutNanos, CompletionHandler handler) {
        checkUsable();
        Objects.requireNonNull(handler, "handler");
        if (polling) {
            throw new IllegalStateException("poll called from a completion handler");
        }
        polling = true;
        counters.polled();
        this.handler = handler;
        woken = false;
        try {
            long timeout = timeoutNanos;
            if (selfWake) {
                selfWake = false;
                timeout = 0;
            }
            long deadline = timeout > 0 ? System.nanoTime() + timeout : 0;
            int delivered = 0;
            for (;;) {
                delivered += deliverReady();
                long wait = delivered > 0 || !ready.isEmpty() ? 0 : timeout;
                if (wait > 0) {
                    wait = Math.max(0, deadline - System.nanoTime());
                }
                delivered += dequeue(waitMillis(wait));
                delivered += expireTimers();
                if (delivered > 0 || timeout == 0 || woken) {
                    return delivered;
                }
                if (timeout > 0 && deadline - System.nanoTime() <= 0) {
                    return 0;
                }
                // Only forwarded or stray packets, or a timer that is not due yet: wait again.
            }
        } finally {
            polling = false;
            this.handler = null;
        }
    }

    /** The wait in milliseconds for GetQueuedCompletionStatusEx: cut to the next timer, rounded up so none fires early. */
    private int waitMillis(long waitNanos) {
        long wait = waitNanos;
        if (!timers.isEmpty()) {
            long untilTimer = Math.max(0, timers.firstDeadline() - System.nanoTime());
            wait = wait < 0 ? untilTimer : Math.min(wait, untilTimer);
        }
        if (wait < 0) {
            return Kernel32.INFINITE;
        }
        long ms = (wait + 999_999) / 1_000_000;
        return (int) Math.min(ms, 0x7fffffffL);
    }

    /** Delivers what was ready when this pass began; what handlers make ready meanwhile waits for the next one. */
    private int deliverReady() {
        int n = ready.size();
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            int slot = ready.headSlot();
            int result = ready.headResult();
            int flags = ready.headFlags();
            ready.removeHead();
            delivered += deliver(slot, result, flags);
        }
        return delivered;
    }

    /** Hands one completion to the handler; a multishot accept that goes on is issued again afterwards. */
    private int deliver(int slot, int result, int flags) {
        Op op = ops.get(slot);
        if (!Completion.hasMore(flags)) {
            state[slot] = IDLE;
            ops.complete(op, result, flags, handler);
            return 1;
        }
        state[slot] = DELIVERING;
        ops.complete(op, result, flags, handler);
        if (cancelRequested[slot]) {
            // Cancelled by the handler: no AcceptEx is pending, so this is the final completion.
            state[slot] = IDLE;
            ops.complete(op, -Errno.ECANCELED, 0, handler);
            return 2;
        }
        issue(op, slot);
        return 1;
    }

    /** One GetQueuedCompletionStatusEx; returns the completions delivered. */
    private int dequeue(int millis) {
        long removed = entries.address() + (long) maxEntries * ENTRY_SIZE;
        counters.enteredKernel();
        if (Kernel32.GetQueuedCompletionStatusEx(port, entries.address(), maxEntries, removed, millis, 0) == 0) {
            int e = Kernel32.lastError();
            if (e == Kernel32.WAIT_TIMEOUT) {
                return 0;
            }
            throw new UncheckedIOException(ErrnoException.ofWindows("GetQueuedCompletionStatusEx", e));
        }
        int n = entriesMemory.getInt(maxEntries * ENTRY_SIZE);
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            int e = i * ENTRY_SIZE;
            long key = entriesMemory.getLong(e);
            long overlapped = entriesMemory.getLong(e + 8);
            int bytes = entriesMemory.getInt(e + 24);
            delivered += packet(key, overlapped, bytes);
        }
        return delivered;
    }

    private int packet(long key, long overlapped, int bytes) {
        if (key == WAKE_KEY && overlapped == 0) {
            wakePosted.set(false);
            woken = true;
            return 0;
        }
        int slot = overlapped != 0 ? memory.slotOf(overlapped) : -1;
        if (slot < 0) {
            forward(key, overlapped, bytes);
            return 0;
        }
        Op op = ops.get(slot);
        if (op == null || state[slot] != KERNEL) {
            strayPackets++;
            LOG.log(System.Logger.Level.WARNING, "IOCP packet for slot " + slot + " that has no call pending (state "
                    + state[slot] + ", " + op + ")");
            return 0;
        }
        packets++;
        kernelCalls--;
        int status = memory.status(slot);
        int error = status == 0 ? 0 : Ntdll.RtlNtStatusToDosError(status);
        int result = io.finish(op, slot, error, bytes);
        if (closing) {
            io.discard(op, result);
            completionFlags(op, slot, result); // gives a lent buffer back
            state[slot] = IDLE;
            ops.completeSilently(op);
            return 0;
        }
        if (result == OverlappedOps.RECHECK) {
            if (cancelRequested[slot]) {
                return deliver(slot, -Errno.ECANCELED, 0); // the POLL's receive ended on its own after the cancel
            }
            recheckLater(slot);
            return 0;
        }
        return deliver(slot, result, completionFlags(op, slot, result));
    }

    /** A packet for another driver's OVERLAPPED (the handle is associated with this port): send it on. */
    private void forward(long key, long overlapped, int bytes) {
        long target = key == IO_KEY && overlapped != 0 ? foreign.getLong(overlapped + OverlappedMemory.OWNER_PORT) : 0;
        if (target == 0 || target == port) {
            strayPackets++;
            LOG.log(System.Logger.Level.WARNING, "IOCP packet with key 0x" + Long.toHexString(key) + " for unknown OVERLAPPED 0x"
                    + Long.toHexString(overlapped));
            return;
        }
        forwardedPackets++;
        if (Kernel32.PostQueuedCompletionStatus(target, bytes, key, overlapped) == 0) {
            LOG.log(System.Logger.Level.ERROR, "could not forward an IOCP packet to port 0x" + Long.toHexString(target) + ": "
                    + WinError.describe(Kernel32.lastError()) + "; that operation will never complete");
        }
    }

    private int expireTimers() {
        if (timers.isEmpty()) {
            return 0;
        }
        int delivered = 0;
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.firstDeadline() - now <= 0) {
            int slot = timers.removeFirst();
            if (state[slot] == TIMER) {
                delivered += deliver(slot, -Errno.ETIME, 0);
            } else {
                int r = io.pollNow(ops.get(slot), slot);
                if (r == 0) {
                    recheckLater(slot);
                } else {
                    delivered += deliver(slot, r, 0);
                }
            }
        }
        return delivered;
    }

    // ---------------------------------------------------------------- wake, close

    @Override
    public void wake() {
        if (Thread.currentThread() == owner) {
            selfWake = true;
            return;
        }
        if (wakePosted.compareAndSet(false, true)) {
            synchronized (portLock) {
                if (portOpen && Kernel32.PostQueuedCompletionStatus(port, 0, WAKE_KEY, 0) == 0) {
                    wakePosted.set(false);
                    LOG.log(System.Logger.Level.ERROR, "wake: PostQueuedCompletionStatus failed: "
                            + WinError.describe(Kernel32.lastError()));
                }
            }
        }
    }

    @Override
    public DriverStats stats() {
        return counters.snapshot();
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
     * Close: what is not in the kernel ends at once; pending calls are cancelled (unless {@code cancel} is
     * false, which tests use to play a call that never ends) and their packets dequeued for up to
     * {@code timeoutNanos}; then every owner has been released once and the port is closed. Returns false if
     * some packets did not come: the port and all memory are then leaked, never freed.
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
        bufferRings.closeAll(); // no more buffers lent, no waiting actions run (they would submit)
        try {
            discardReady();
            ops.forEach(op -> {
                int slot = op.slot();
                if (state[slot] == KERNEL) {
                    if (cancel) {
                        Kernel32.CancelIoEx(OverlappedOps.ioHandle(op), memory.overlapped(slot));
                    }
                } else {
                    timers.remove(slot);
                    state[slot] = IDLE;
                    ops.completeSilently(op);
                }
            });
            long deadline = System.nanoTime() + timeoutNanos;
            while (kernelCalls > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                dequeue(waitMillis(Math.min(left, CLOSE_STEP_NANOS)));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "IOCP driver close failed", e);
        } finally {
            closed = true;
        }
        if (kernelCalls > 0) {
            LOG.log(System.Logger.Level.ERROR, "IOCP driver closed with " + kernelCalls + " overlapped calls whose packets did"
                    + " not arrive within " + timeoutNanos / 1_000_000 + " ms; leaking the port and the memory they use"
                    + " instead of freeing it");
            LEAKED.add(new Object[] {memory, ops, io, entries, bufferRings});
            associations.close();
            return false;
        }
        associations.close();
        synchronized (portLock) {
            portOpen = false;
            Kernel32.CloseHandle(port);
        }
        return true;
    }

    /** Close: results that were ready but will not be delivered; a socket accepted at once is nobody's now. */
    private void discardReady() {
        while (!ready.isEmpty()) {
            int slot = ready.headSlot();
            int result = ready.headResult();
            ready.removeHead();
            Op op = ops.get(slot);
            io.discard(op, result);
            state[slot] = IDLE;
            ops.completeSilently(op);
        }
    }

    // ---------------------------------------------------------------- checks and counters

    private void checkUsable() {
        checkOwner();
        if (closed || closing) {
            throw new IllegalStateException("IOCP driver is closed");
        }
    }

    private void checkOwner() {
        OwnerThread.check(owner, "IOCP");
    }

    /** Packets dequeued for this driver's own pending calls. */
    public long packets() {
        return packets;
    }

    /** Packets that named no pending call of any driver: must stay 0 (a skipped-on-success packet that came anyway ...). */
    public long strayPackets() {
        return strayPackets;
    }

    /** Packets sent on to the driver whose OVERLAPPED they name. */
    public long forwardedPackets() {
        return forwardedPackets;
    }

    /** Calls that completed (or failed) at once, without a packet. */
    public long immediateCompletions() {
        return immediateCompletions;
    }

    /** Handles associated with this driver's port. */
    public int associatedHandles() {
        return associations.size();
    }

    @Override
    public String toString() {
        return "IocpDriver[port=0x" + Long.toHexString(port) + ", inFlight=" + ops.size() + ", pending=" + kernelCalls
                + (closed ? ", closed" : "") + "]";
    }
}
