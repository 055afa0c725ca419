package dev.proactor.runtime.poll;

import dev.proactor.runtime.OwnerThread;
import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.BufferRings;
import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Completion;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverCounters;
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
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

import static dev.proactor.runtime.linux.LinuxConstants.EPOLLERR;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLHUP;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLIN;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLOUT;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLPRI;
import static dev.proactor.runtime.linux.LinuxConstants.EPOLLRDHUP;
import static dev.proactor.runtime.linux.LinuxConstants.POLLERR;
import static dev.proactor.runtime.linux.LinuxConstants.POLLHUP;

/**
 * The epoll driver: completions emulated on readiness, so the layers above cannot tell it from io_uring.
 *
 * <p>{@link #submit} queues. {@link #poll} first tries each new operation's non-blocking system call;
 * one that would block (EAGAIN, EINPROGRESS) joins its descriptor's FIFO queue for its direction (read:
 * RECV, RECV_PROVIDED, RECVMSG, ACCEPT, READ; write: SEND, SENDV, SENDMSG, CONNECT, WRITE, SPLICE; POLL ops wait in a third
 * list), and the descriptor is added to the epoll set once per lifetime, edge-triggered for every event.
 *
 * <p>A stream transfer (SEND, SENDV, RECV) or POLL that a completion handler submits while nothing else waits to
 * start is tried at once instead, and its completion is delivered as soon as that handler returns: a read-then-echo
 * handler then gets its write done before the next descriptor's event is handled, as in a NIO loop, so one
 * buffer at a time is in use rather than one per ready connection (the allocator recycles it at once), and
 * the write needs no extra round through epoll_wait.
 *
 * <p>Edge-triggered is safe because nothing waits without having failed first: an operation joins an empty
 * queue only after its own call returned EAGAIN (a POLL op: after poll(2) found nothing; a pollFirst RECV or
 * POLL: after the last receive on the socket found it empty, with no edge since), and joins a
 * non-empty queue behind a head that did. Any readiness after that failure is a new edge; readiness before
 * the descriptor was added is reported by EPOLL_CTL_ADD itself. On an edge the queue is retried in order
 * until it is empty or a call returns EAGAIN again, so no readiness is left unconsumed while ops wait.
 *
 * <p>Provided buffers ({@link BufferRing}) are emulated the way io_uring's buffer select behaves: each attempt
 * of a RECV_PROVIDED takes an available buffer of its group (none: the op ends with -ENOBUFS), receives into
 * it, and hands it out with the completion; a multishot one stays at the head of its queue and goes on while
 * the socket has data and buffers are available.
 *
 * <p>Differences from io_uring, chosen and documented: a CLOSE op first completes every operation still
 * queued on that descriptor with -ECANCELED (io_uring leaves them pending until cancelled, holding the
 * file open); READ and WRITE on regular files are plain pread/pwrite made on the owning thread (files are
 * always "ready"); descriptors other than files and sockets must be non-blocking (sockets always are).
 * A descriptor closed outside the driver and reused while the driver still believes it registered is
 * recognised when the new one comes from this driver's accept or is connected by it; otherwise close
 * descriptors that had waiting operations with a CLOSE op.
 */
public final class PollDriver implements Driver {
    private static final int SUBMIT_A = 0;
    private static final int SUBMIT_B = 1;
    private static final int READY = 2;
    /** Completions of transfers started while their submitter's handler ran, delivered when it returns. */
    private static final int EAGER_DONE = 3;
    private static final int FIRST_FD_LIST = 4;
    private static final int READ_SIDE = 0;
    private static final int WRITE_SIDE = 1;
    private static final int POLLERS = 2;
    private static final int LISTS_PER_FD = 3;
    /** Above this a descriptor's list numbers would overflow; no real descriptor is that large (EBADF). */
    private static final int MAX_FD = (Integer.MAX_VALUE - FIRST_FD_LIST - 2 * LISTS_PER_FD) / LISTS_PER_FD;

    private static final long WAKE_TOKEN = -1L;
    private static final byte UNKNOWN = 0;
    private static final byte DRAINED = 1;
    private static final byte HUNG_UP = 2;
    private static final int READ_EVENTS = EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
    private static final int WRITE_EVENTS = EPOLLOUT | EPOLLHUP | EPOLLERR;
    private static final int ALL_EVENTS = READ_EVENTS | WRITE_EVENTS;
    private static final int SPLICE_RETRIES = 3;
    /** Buffers a multishot receive fills in a row before the others get their turn (the kernel's limit too). */
    private static final int MULTISHOT_BURST = 32;
    private static final long MAX_TIMEOUT_NANOS = Long.MAX_VALUE / 4;
    /** Transfers started at submit per poll; beyond it a handler that resubmits forever cannot keep poll from returning. */
    private static final int EAGER_STARTS_PER_POLL = 1024;

    private final Thread owner;
    private final int epfd;
    private final Wakeup wakeup;
    private final EpollRegistrations registrations;
    private final NonBlockingCalls calls = new NonBlockingCalls();
    private final BufferRings bufferRings = new BufferRings();
    private final DriverCounters counters = new DriverCounters(DriverKind.POLL);
    private final InFlightOps inFlight;
    private final SlotLists lists;
    private final TimerHeap timers;
    private final NativeBuffer events;
    private final ByteBuffer eventsMem;
    private final int maxEvents;

    /** By slot: the result a READY op will be delivered with. */
    private int[] readyResult;
    /** Cancelled before its first attempt: attempt it anyway (as io_uring issues an SQE before the cancel behind it), then cancel what waits. */
    private boolean[] cancelBeforeStart;
    /**
     * By descriptor list (read side): DRAINED when its last attempt found the socket empty (EAGAIN, or a RECV filled
     * less than asked) and no readiness has been reported since: a pollFirst RECV then waits for the next edge
     * without a call. HUNG_UP once a hang-up or error was reported: a short read no longer means that nothing
     * is left (the end of stream or the error is still to be read, and no new edge will announce it).
     */
    private byte[] readState = new byte[FIRST_FD_LIST + LISTS_PER_FD * 64];
    /** By slot: a CONNECT whose connect(2) returned EINPROGRESS (next step: SO_ERROR). */
    private boolean[] connecting;
    private int submitList = SUBMIT_A;
    private int eagerBudget;
    /** While an op submitted by a running handler is started: its completion waits in EAGER_DONE. */
    private boolean deferDelivery;
    private boolean deliveringEager;
    private long pollFirstWaits;
    private CompletionHandler handler;
    private int delivered;
    private boolean closed;

    private PollDriver(DriverConfig config) {
        this.owner = Thread.currentThread();
        int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw new DriverUnavailableException(DriverKind.POLL, "epoll_create1 failed",
                    ErrnoException.of("epoll_create1", LibC.errno()));
        }
        this.epfd = ep;
        try {
            this.wakeup = new Wakeup(owner);
        } catch (RuntimeException e) {
            LibC.close(ep);
            throw e;
        }
        this.registrations = new EpollRegistrations(ep);
        NativeBuffer ctl = NativeBuffer.allocate(16);
        ctl.buffer().putInt(EpollEventLayout.EVENTS_OFFSET, EPOLLIN);
        ctl.buffer().putLong(EpollEventLayout.DATA_OFFSET, WAKE_TOKEN);
        if (LibC.epoll_ctl(ep, LinuxConstants.EPOLL_CTL_ADD, wakeup.fd(), ctl.address()) != 0) {
            int e = LibC.errno();
            wakeup.close();
            LibC.close(ep);
            throw new UncheckedIOException(ErrnoException.of("epoll_ctl(eventfd)", e));
        }
        int slots = Math.max(64, config.submissionEntries());
        this.inFlight = new InFlightOps(slots, counters);
        this.lists = new SlotLists(inFlight.capacity(), FIRST_FD_LIST + LISTS_PER_FD * 64);
        this.timers = new TimerHeap(inFlight.capacity());
        this.readyResult = new int[inFlight.capacity()];
        this.connecting = new boolean[inFlight.capacity()];
        this.cancelBeforeStart = new boolean[inFlight.capacity()];
        this.maxEvents = Math.max(64, Math.min(4096, config.completionEntries()));
        this.events = NativeBuffer.allocate(maxEvents * EpollEventLayout.SIZE);
        this.eventsMem = events.buffer();
    }

    /** Null if epoll works here, otherwise why not (not Linux, or the errno of epoll_create1/eventfd). */
    public static DriverUnavailableException unavailabilityCause() {
        if (!LibC.AVAILABLE) {
            Throwable cause = LibC.UNAVAILABILITY_CAUSE;
            String why = cause instanceof UnsupportedOperationException ? cause.getMessage() : "libc not loadable: " + cause;
            return new DriverUnavailableException(DriverKind.POLL, why, cause);
        }
        int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        if (ep < 0) {
            int e = LibC.errno();
            return new DriverUnavailableException(DriverKind.POLL, "epoll_create1 failed with " + Errno.name(e),
                    ErrnoException.of("epoll_create1", e));
        }
        LibC.close(ep);
        int efd = LibC.eventfd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        if (efd < 0) {
            int e = LibC.errno();
            return new DriverUnavailableException(DriverKind.POLL, "eventfd failed with " + Errno.name(e),
                    ErrnoException.of("eventfd", e));
        }
        LibC.close(efd);
        return null;
    }

    public static Driver open(DriverConfig config) {
        DriverUnavailableException why = unavailabilityCause();
        if (why != null) {
            throw why;
        }
        return new PollDriver(config);
    }

    @Override
    public DriverKind kind() {
        return DriverKind.POLL;
    }

    private void checkOwner() {
        OwnerThread.check(owner, "poll");
    }

    @Override
    public void submit(Op op) {
        checkOwner();
        if (closed) {
            throw new IllegalStateException("driver is closed");
        }
        if (op.code() == OpCode.RECV_PROVIDED) {
            bufferRings.get(op.bufferGroup()); // an unknown group fails here, not at completion
        }
        int slot = inFlight.add(op);
        ensureSlots(inFlight.capacity());
        connecting[slot] = false;
        cancelBeforeStart[slot] = false;
        if (handler != null && eagerBudget > 0 && startsAtOnce(op.code()) && lists.isEmpty(submitList)) {
            eagerBudget--;
            startEagerly(op, slot);
        } else {
            lists.append(submitList, slot);
        }
    }

    private static boolean startsAtOnce(OpCode code) {
        return code == OpCode.SEND || code == OpCode.SENDV || code == OpCode.RECV || code == OpCode.POLL;
    }

    /** Only when nothing submitted earlier is still to start, so the per-descriptor order is kept. */
    private void startEagerly(Op op, int slot) {
        deferDelivery = true;
        try {
            start(op, slot);
        } finally {
            deferDelivery = false;
        }
    }

    @Override
    public BufferRing registerBufferRing(int groupId, int bufferCount, int bufferSize) {
        checkOwner();
        if (closed) {
            throw new IllegalStateException("driver is closed");
        }
        BufferRing.checkArguments(groupId, bufferCount, bufferSize);
        bufferRings.checkUnused(groupId);
        return bufferRings.add(new BufferRing(groupId, bufferCount, bufferSize, null, counters));
    }

    private void ensureSlots(int capacity) {
        if (capacity > readyResult.length) {
            lists.ensureSlots(capacity);
            timers.ensureSlots(capacity);
            readyResult = Arrays.copyOf(readyResult, capacity);
            connecting = Arrays.copyOf(connecting, capacity);
            cancelBeforeStart = Arrays.copyOf(cancelBeforeStart, capacity);
        }
    }

    @Override
    public boolean cancel(Op op) {
        checkOwner();
        int slot = op.slot();
        if (closed || slot < 0 || inFlight.get(slot) != op) {
            return false;
        }
        counters.cancelRequested();
        int list = lists.listOf(slot);
        if (list == READY || list == EAGER_DONE) {
            return true; // its completion is already waiting to be delivered
        }
        if (list == SUBMIT_A || list == SUBMIT_B) {
            cancelBeforeStart[slot] = true;
            return true;
        }
        if (list != SlotLists.NONE) {
            lists.remove(slot);
        } else if (!timers.remove(slot)) {
            return true; // being completed right now
        }
        makeReady(slot, -Errno.ECANCELED);
        return true;
    }

    private void makeReady(int slot, int result) {
        readyResult[slot] = result;
        lists.append(READY, slot);
    }

    @Override
    public int poll(long timeoutNanos, CompletionHandler handler) {
        checkOwner();
        if (closed) {
            throw new IllegalStateException("driver is closed");
        }
        if (this.handler != null) {
            throw new IllegalStateException("poll called from a completion handler");
        }
        this.handler = Objects.requireNonNull(handler, "handler");
        counters.polled();
        delivered = 0;
        eagerBudget = EAGER_STARTS_PER_POLL;
        try {
            deliverReady();
            startSubmitted();
            if (closed) {
                return delivered;
            }
            boolean woken = wakeup.takeRequest();
            boolean mustNotBlock = woken || delivered > 0 || !lists.isEmpty(READY) || !lists.isEmpty(EAGER_DONE)
                    || !lists.isEmpty(submitList);
            int n = waitForEvents(mustNotBlock ? 0 : timeoutNanos);
            for (int i = 0; i < n && !closed; i++) {
                int off = i * EpollEventLayout.SIZE;
                onEvent(eventsMem.getInt(off + EpollEventLayout.EVENTS_OFFSET), eventsMem.getLong(off + EpollEventLayout.DATA_OFFSET));
            }
            expireTimers();
            deliverReady();
            return delivered;
        } finally {
            this.handler = null;
            eagerBudget = 0;
        }
    }

    /**
     * One epoll_wait, repeated only when interrupted: EINTR is not a wake-up (a signal, or io_uring task work
     * queued for this thread by a ring it also uses), so the wait goes on for whatever time is left.
     */
    private int waitForEvents(long timeoutNanos) {
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        long left = timeoutNanos;
        for (;;) {
            counters.enteredKernel();
            int n = LibC.epoll_wait(epfd, events.address(), maxEvents, waitMillis(left));
            if (n >= 0) {
                return n;
            }
            int e = LibC.errno();
            if (e != Errno.EINTR) {
                throw new UncheckedIOException(ErrnoException.of("epoll_wait", e));
            }
            if (timeoutNanos == 0) {
                return 0;
            }
            if (timeoutNanos > 0) {
                left = Math.max(0, timeoutNanos - (System.nanoTime() - start));
            }
        }
    }

    /** epoll_wait's timeout: the caller's, cut to the next timer, rounded up so no timer is reported early. */
    private int waitMillis(long timeoutNanos) {
        long wait = timeoutNanos;
        if (!timers.isEmpty()) {
            long untilTimer = Math.max(0, timers.firstDeadline() - System.nanoTime());
            wait = wait < 0 ? untilTimer : Math.min(wait, untilTimer);
        }
        if (wait < 0) {
            return -1;
        }
        long ms = (wait + 999_999) / 1_000_000;
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private void deliver(Op op, int result, int flags) {
        if (deferDelivery) {
            assert flags == 0 : "an eagerly started transfer completes without flags";
            readyResult[op.slot()] = result;
            lists.append(EAGER_DONE, op.slot());
            return;
        }
        delivered++;
        inFlight.complete(op, result, flags, handler);
        deliverEagerCompletions();
    }

    /** What the handler that just returned started at once: delivered now, and what those handlers start in turn. */
    private void deliverEagerCompletions() {
        if (deliveringEager) {
            return; // the loop below, further up the stack, takes it
        }
        deliveringEager = true;
        try {
            int slot;
            while (!closed && (slot = lists.head(EAGER_DONE)) != SlotLists.NONE) {
                lists.remove(slot);
                deliver(inFlight.get(slot), readyResult[slot], 0);
            }
        } finally {
            deliveringEager = false;
        }
    }

    /** Delivers the completions made ready so far (cancellations); ones made ready meanwhile wait. */
    private void deliverReady() {
        int last = lists.tail(READY);
        if (closed || last == SlotLists.NONE) {
            return;
        }
        int slot;
        do {
            slot = lists.head(READY);
            lists.remove(slot);
            deliver(inFlight.get(slot), readyResult[slot], 0);
        } while (slot != last && !closed);
    }

    /** Starts what was submitted before this poll; what handlers submit meanwhile waits for the next one. */
    private void startSubmitted() {
        int list = submitList;
        submitList = list == SUBMIT_A ? SUBMIT_B : SUBMIT_A;
        int slot;
        while (!closed && (slot = lists.head(list)) != SlotLists.NONE) {
            lists.remove(slot);
            Op op = inFlight.get(slot);
            boolean cancel = cancelBeforeStart[slot];
            cancelBeforeStart[slot] = false;
            start(op, slot);
            if (cancel && !closed && inFlight.get(slot) == op && op.slot() == slot) {
                cancelWaiting(op, slot);
            }
        }
    }

    /** Cancels an op that its first attempt left waiting (on its descriptor or a timer). */
    private void cancelWaiting(Op op, int slot) {
        int list = lists.listOf(slot);
        if (list == SUBMIT_A || list == SUBMIT_B || list == READY || list == EAGER_DONE) {
            return; // completed and submitted again, or already completing
        }
        if (list != SlotLists.NONE) {
            lists.remove(slot);
        } else if (!timers.remove(slot)) {
            return;
        }
        deliver(op, -Errno.ECANCELED, 0);
    }

    private void start(Op op, int slot) {
        OpCode code = op.code();
        switch (code) {
            case NOP:
                deliver(op, 0, 0);
                break;
            case TIMEOUT:
                // Capped so that now + delay cannot wrap past the deadlines compared by subtraction.
                timers.add(slot, System.nanoTime() + Math.min(op.offset(), MAX_TIMEOUT_NANOS));
                break;
            case CLOSE:
                closeDescriptor(op);
                break;
            case SHUTDOWN:
                counters.calledDirectly();
                deliver(op, calls.attempt(op), 0);
                break;
            case POLL:
                startPoll(op, slot);
                break;
            case ACCEPT:
            case RECV:
            case RECV_PROVIDED:
            case RECVMSG:
            case READ:
                enqueue(slot, op.fd(), READ_SIDE);
                break;
            case CONNECT:
                forgetDescriptor(op.fd()); // a socket being connected starts a new lifetime of its number
                enqueue(slot, op.fd(), WRITE_SIDE);
                registerWaiters(op.fd());
                break;
            case SEND:
            case SENDV:
            case SENDMSG:
            case WRITE:
                enqueue(slot, op.fd(), WRITE_SIDE);
                break;
            case SPLICE:
                enqueue(slot, op.fd2(), WRITE_SIDE);
                break;
            default:
                throw new AssertionError(code);
        }
    }

    private int listOf(int fd, int side) {
        int list = FIRST_FD_LIST + fd * LISTS_PER_FD + side;
        lists.ensureLists(list + LISTS_PER_FD);
        return list;
    }

    /**
     * Queues an op behind the others of its descriptor and direction. Alone, it is tried at once and only
     * waits if its call would block; behind others it waits for the edge that will retry the whole queue.
     */
    private void enqueue(int slot, int fd, int side) {
        if (fd < 0 || fd > MAX_FD) {
            deliver(inFlight.get(slot), -Errno.EBADF, 0);
            return;
        }
        int list = listOf(fd, side);
        boolean alone = lists.isEmpty(list);
        if (!alone && asksNotToWait(inFlight.get(slot))) {
            // The head waits because the call would block: so would this one.
            deliver(inFlight.get(slot), -Errno.EAGAIN, 0);
            return;
        }
        lists.append(list, slot);
        if (alone && side == READ_SIDE && waitsForEdge(inFlight.get(slot), fd, list)) {
            return;
        }
        if (alone) {
            runQueue(fd, side, ALL_EVENTS);
            if (!closed && !lists.isEmpty(list)) {
                register(fd, list);
            }
        }
    }

    /** A pollFirst receive when nothing was read since the last receive: it waits for the edge (the descriptor is in the set). */
    private boolean waitsForEdge(Op op, int fd, int list) {
        if (op.isPollFirst() && isDrained(list) && registrations.isRegistered(fd)) {
            pollFirstWaits++;
            return true;
        }
        return false;
    }

    private static boolean asksNotToWait(Op op) {
        switch (op.code()) {
            case RECV:
            case RECVMSG:
            case SEND:
            case SENDV:
            case SENDMSG:
                return (op.flags() & LinuxConstants.MSG_DONTWAIT) != 0;
            default:
                return false;
        }
    }

    /**
     * After a CONNECT made the registration of {@code fd} stale: ops still waiting on it (a UDP socket's receive,
     * submitted before its connect) need the new registration too, or their events carry the old token and are
     * dropped as belonging to an earlier file.
     */
    private void registerWaiters(int fd) {
        if (closed || fd < 0 || fd > MAX_FD) {
            return;
        }
        for (int side = 0; side < LISTS_PER_FD; side++) {
            int list = listOf(fd, side);
            if (!lists.isEmpty(list)) {
                register(fd, list);
            }
        }
    }

    /** Makes sure {@code fd} is in the epoll set; if it cannot be, fails what waits on {@code list}. */
    private void register(int fd, int list) {
        int r = registrations.register(fd);
        if (r != 0) {
            int slot;
            while (!closed && (slot = lists.head(list)) != SlotLists.NONE) {
                lists.remove(slot);
                deliver(inFlight.get(slot), r, 0);
            }
        }
    }

    /** Retries a queue in order until it is empty or a call would block again. */
    private void runQueue(int fd, int side, int readyEvents) {
        int list = listOf(fd, side);
        int retries = 0;
        int burst = 0;
        int slot;
        while (!closed && (slot = lists.head(list)) != SlotLists.NONE) {
            Op op = inFlight.get(slot);
            if (op.code() == OpCode.RECV_PROVIDED) {
                if (!receiveProvided(op, slot)) {
                    return;
                }
                if (lists.head(list) != slot) {
                    burst = 0;
                } else if (++burst == MULTISHOT_BURST) {
                    // Still data and buffers: go on in the next poll, behind what else is ready, not in a loop here.
                    lists.remove(slot);
                    lists.append(submitList, slot);
                    burst = 0;
                }
                continue;
            }
            if (side == READ_SIDE && waitsForEdge(op, fd, list)) {
                return; // joined (submitted by a handler this run called) after a receive that drained the socket
            }
            counters.calledDirectly();
            int r = connecting[slot] ? calls.connectResult(op.fd(), readyEvents) : calls.attempt(op);
            if (side == READ_SIDE) {
                setDrained(list, r == -Errno.EAGAIN || op.code() == OpCode.RECV && r > 0 && r < op.length());
            }
            if (r == -Errno.EAGAIN && asksNotToWait(op)) {
                lists.remove(slot);
                deliver(op, r, 0); // io_uring too completes a MSG_DONTWAIT transfer with -EAGAIN
                continue;
            }
            if (r == -Errno.EAGAIN || r == -Errno.EINPROGRESS) {
                if (op.code() == OpCode.CONNECT && r == -Errno.EINPROGRESS) {
                    connecting[slot] = true;
                } else if (op.code() == OpCode.SPLICE && retries++ < SPLICE_RETRIES && moveSplice(op, slot, list)) {
                    continue;
                }
                return;
            }
            if (op.code() == OpCode.ACCEPT && r >= 0) {
                newDescriptor(r);
                if (op.isMultishot()) {
                    deliver(op, r, Completion.MORE); // stays at the head: accept again until EAGAIN
                    continue;
                }
            }
            if (r == -Errno.EBADF) {
                forgetDescriptor(fd);
            }
            lists.remove(slot);
            deliver(op, r, 0);
        }
    }

    /**
     * One receive of a RECV_PROVIDED at the head of its queue, into an available buffer of its group. Returns
     * false if the socket has nothing to read (the op waits); true if it completed or, multishot, delivered a
     * buffer and stays at the head to receive again.
     */
    private boolean receiveProvided(Op op, int slot) {
        BufferRing group = bufferRings.get(op.bufferGroup());
        int id = group.take();
        if (id < 0) {
            lists.remove(slot);
            deliver(op, -Errno.ENOBUFS, 0);
            return true;
        }
        counters.calledDirectly();
        int r = calls.recvInto(op, group.address(id), group.bufferSize());
        setDrained(listOf(op.fd(), READ_SIDE), r == -Errno.EAGAIN);
        if (r == -Errno.EAGAIN) {
            group.giveBack(id);
            return false;
        }
        if (r <= 0) {
            group.giveBack(id);
            if (r == -Errno.EBADF) {
                forgetDescriptor(op.fd());
            }
            lists.remove(slot);
            deliver(op, r, 0);
            return true;
        }
        group.handOut(id);
        if (op.isMultishot()) {
            deliver(op, r, Completion.withBuffer(id) | Completion.MORE); // a cancel from the handler unqueues it
        } else {
            lists.remove(slot);
            deliver(op, r, Completion.withBuffer(id));
        }
        return true;
    }

    /**
     * A splice blocks on whichever end is not ready: it waits on its input's read queue when the input is
     * empty, on its output's write queue when the output is full. Returns true when the queue being run
     * should continue (the splice moved elsewhere, or both ends are ready now and it should be retried).
     */
    private boolean moveSplice(Op op, int slot, int currentList) {
        counters.calledDirectly();
        int end = calls.spliceBlockedEnd(op);
        if (end < 0) {
            return true;
        }
        int fd = end == 0 ? op.fd() : op.fd2();
        int target = listOf(fd, end == 0 ? READ_SIDE : WRITE_SIDE);
        if (target == currentList) {
            return false;
        }
        lists.remove(slot);
        lists.append(target, slot);
        register(fd, target);
        return true;
    }

    private void startPoll(Op op, int slot) {
        int fd = op.fd();
        if (op.isPollFirst() && fd >= 0 && fd <= MAX_FD && waitsForEdge(op, fd, listOf(fd, READ_SIDE))) {
            lists.append(listOf(fd, POLLERS), slot);
            return;
        }
        int wanted = op.flags() | POLLERR | POLLHUP;
        counters.calledDirectly();
        int ready = fd < 0 ? -Errno.EBADF : calls.readyNow(fd, op.flags());
        if (ready < 0 || (ready & wanted) != 0) {
            deliver(op, ready < 0 ? ready : ready & wanted, 0);
            return;
        }
        int list = listOf(fd, POLLERS);
        lists.append(list, slot);
        register(fd, list);
    }

    /** POLL ops complete with the event mask epoll reported (the descriptor's current readiness). */
    private void runPollers(int fd, int readyEvents) {
        int list = listOf(fd, POLLERS);
        int slot = lists.head(list);
        while (!closed && slot != SlotLists.NONE) {
            int next = lists.next(slot);
            Op op = inFlight.get(slot);
            int mask = readyEvents & (op.flags() | POLLERR | POLLHUP);
            if (mask != 0) {
                lists.remove(slot);
                deliver(op, mask, 0);
                if (next != SlotLists.NONE && lists.listOf(next) != list) {
                    next = lists.head(list); // the handler moved the next one (cancelled it): start over
                }
            }
            slot = next;
        }
    }

    private void onEvent(int readyEvents, long token) {
        if (token == WAKE_TOKEN) {
            wakeup.drain();
            return;
        }
        if (!registrations.isCurrent(token)) {
            return; // for an earlier file that had this number
        }
        int fd = EpollRegistrations.fdOf(token);
        if ((readyEvents & READ_EVENTS) != 0) {
            int list = listOf(fd, READ_SIDE);
            if ((readyEvents & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
                setReadState(list, HUNG_UP);
            } else {
                setDrained(list, false);
            }
            runQueue(fd, READ_SIDE, readyEvents);
        }
        if ((readyEvents & WRITE_EVENTS) != 0 && !closed) {
            runQueue(fd, WRITE_SIDE, readyEvents);
        }
        if (!closed) {
            runPollers(fd, readyEvents);
        }
    }

    /** Ends a descriptor's lifetime in the epoll set; what was known of the old file's readiness goes too. */
    private void forgetDescriptor(int fd) {
        registrations.forget(fd);
        if (fd >= 0 && fd <= MAX_FD) {
            setReadState(FIRST_FD_LIST + fd * LISTS_PER_FD + READ_SIDE, UNKNOWN);
        }
    }

    private boolean isDrained(int list) {
        return list < readState.length && readState[list] == DRAINED;
    }

    private void setDrained(int list, boolean drained) {
        if (list >= readState.length || readState[list] != HUNG_UP) {
            setReadState(list, drained ? DRAINED : UNKNOWN);
        }
    }

    private void setReadState(int list, byte state) {
        if (list >= readState.length) {
            if (state == UNKNOWN) {
                return;
            }
            readState = Arrays.copyOf(readState, Math.max(list + LISTS_PER_FD, readState.length * 2));
        }
        readState[list] = state;
    }

    private void expireTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        while (!closed && !timers.isEmpty() && timers.firstDeadline() - now <= 0) {
            int slot = timers.removeFirst();
            deliver(inFlight.get(slot), -Errno.ETIME, 0);
        }
    }

    /** CLOSE: what still waits on the descriptor completes with -ECANCELED (delivered after the close). */
    private void closeDescriptor(Op op) {
        int fd = op.fd();
        cancelWaiting(fd);
        forgetDescriptor(fd);
        counters.calledDirectly();
        int r = LibC.close(fd) == 0 ? 0 : LibC.errno();
        // Linux frees the number even when close reports EINTR: retrying could close someone else's file.
        deliver(op, r == 0 || r == Errno.EINTR ? 0 : -r, 0);
    }

    /** A descriptor number the kernel just handed out: anything still queued under it was for a closed file. */
    private void newDescriptor(int fd) {
        cancelWaiting(fd);
        forgetDescriptor(fd);
    }

    private void cancelWaiting(int fd) {
        if (fd < 0 || FIRST_FD_LIST + fd * LISTS_PER_FD >= lists.listCount()) {
            return;
        }
        for (int side = 0; side < LISTS_PER_FD; side++) {
            int list = listOf(fd, side);
            int slot;
            while ((slot = lists.head(list)) != SlotLists.NONE) {
                lists.remove(slot);
                makeReady(slot, -Errno.ECANCELED);
            }
        }
    }

    @Override
    public DriverStats stats() {
        return counters.snapshot();
    }

    @Override
    public void wake() {
        wakeup.wake();
    }

    @Override
    public int inFlight() {
        return inFlight.size();
    }

    /** Nothing of an in-flight op is inside the kernel here, so every owner is released at once. */
    @Override
    public void close() {
        checkOwner();
        if (closed) {
            return;
        }
        closed = true;
        inFlight.forEach(inFlight::completeSilently);
        bufferRings.closeAll();
        wakeup.close();
        LibC.close(epfd);
    }

    /** pollFirst receives that waited for readiness without a first recv(2). */
    public long pollFirstWaits() {
        return pollFirstWaits;
    }

    @Override
    public String toString() {
        return "PollDriver[epfd=" + epfd + ", inFlight=" + inFlight.size() + (closed ? ", closed" : "") + "]";
    }
}
