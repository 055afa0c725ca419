package dev.proactor.runtime;

/**
 * One operation handed to a {@link Driver}. An {@code Op} is a reusable, mutable description: prepare it
 * with one of the {@code prepareXxx} methods, optionally {@link #attach attach} an object and set an
 * {@link #owner(Owner) owner}, {@link Driver#submit submit} it, and prepare it again once its final
 * completion has arrived. Reusing ops keeps the per-operation path free of allocation.
 *
 * <p>The memory an op names (buffers, iovecs, msghdrs, socket addresses) belongs to the caller and must
 * stay valid until the final completion; the owner is how the caller learns that moment.
 */
public final class Op {
    /** Sentinel for "no file offset": read/write at the current position (pipes, sockets). */
    public static final long NO_OFFSET = -1L;

    /** Accept flag: keep accepting, one completion per connection, {@link Completion#MORE} on all but the last. */
    public static final int ACCEPT_MULTISHOT = 1;
    /** poll(2)'s POLLIN (the same bit in WSAPoll). */
    private static final int POLLIN = 0x1;

    private OpCode code = OpCode.NOP;
    private int fd = -1;
    private long address;
    private int length;
    private long offset = NO_OFFSET;
    private int flags;
    private long address2;
    private int fd2 = -1;
    private long offset2 = NO_OFFSET;
    private int bufferGroup = -1;
    private boolean multishot;
    private boolean pollFirst;
    private Object attachment;
    private Owner owner;

    /** Driver bookkeeping: the slot this op occupies while in flight, or -1. */
    private int slot = -1;

    public Op() {
    }

    public Op(Object attachment) {
        this.attachment = attachment;
    }

    private Op set(OpCode code, int fd, long address, int length, long offset, int flags) {
        checkIdle();
        if (length < 0) {
            // The kernel reads it as unsigned: a huge length would let it write past the caller's buffer.
            throw new IllegalArgumentException(code + ": length must be >= 0: " + length);
        }
        this.code = code;
        this.fd = fd;
        this.address = address;
        this.length = length;
        this.offset = offset;
        this.flags = flags;
        this.address2 = 0;
        this.fd2 = -1;
        this.offset2 = NO_OFFSET;
        this.bufferGroup = -1;
        this.multishot = false;
        this.pollFirst = false;
        return this;
    }

    private void checkIdle() {
        if (slot >= 0) {
            throw new IllegalStateException("operation is in flight: " + this);
        }
    }

    public Op prepareNop() {
        return set(OpCode.NOP, -1, 0, 0, NO_OFFSET, 0);
    }

    /**
     * @param sockaddr    where the peer address is written, or 0
     * @param addrLenPtr  a socklen_t holding the sockaddr buffer's size, or 0
     * @param flags       0 or {@link #ACCEPT_MULTISHOT}
     */
    public Op prepareAccept(int listenFd, long sockaddr, long addrLenPtr, int flags) {
        set(OpCode.ACCEPT, listenFd, sockaddr, 0, NO_OFFSET, flags);
        this.address2 = addrLenPtr;
        this.multishot = (flags & ACCEPT_MULTISHOT) != 0;
        return this;
    }

    public Op prepareConnect(int fd, long sockaddr, int sockaddrLength) {
        return set(OpCode.CONNECT, fd, sockaddr, sockaddrLength, NO_OFFSET, 0);
    }

    public Op prepareRecv(int fd, long buffer, int length, int msgFlags) {
        return set(OpCode.RECV, fd, buffer, length, NO_OFFSET, msgFlags);
    }

    /**
     * Multishot receive into provided buffers: keeps receiving into buffers the driver picks from the
     * {@link BufferRing} registered as {@code groupId}, one completion per buffer filled. A completion with a
     * result {@code > 0} carries {@link Completion#BUFFER} and the buffer's id ({@link Completion#bufferId}): the
     * bytes are at {@link BufferRing#address(int)} and the buffer is the consumer's until it calls
     * {@link BufferRing#recycle(int)}. All but the last completion carry {@link Completion#MORE}. The last one
     * (no MORE) says why the receive stopped:
     * <ul>
     * <li>0: end of stream;</li>
     * <li>-ENOBUFS: every buffer was handed out and none recycled: recycle, then submit the op again
     * ({@link BufferRing#whenAvailable} says when); no data is lost, it waits in the socket;</li>
     * <li>-ECANCELED: after {@link Driver#cancel};</li>
     * <li>another negative errno: the receive failed;</li>
     * <li>{@code > 0} (with its buffer): the kernel stopped on its own (for instance when its completion queue
     * overflowed): submit again to keep receiving.</li>
     * </ul>
     *
     * @param msgFlags recv(2) flags; MSG_WAITALL is not allowed
     */
    public Op prepareRecvMultishot(int fd, int groupId, int msgFlags) {
        prepareRecvProvided(fd, groupId, msgFlags);
        this.multishot = true;
        return this;
    }

    /**
     * One receive into a buffer the driver picks from the {@link BufferRing} registered as {@code groupId}: a
     * result {@code > 0} comes with {@link Completion#BUFFER} and the buffer id, as for
     * {@link #prepareRecvMultishot}; -ENOBUFS if no buffer was available.
     */
    public Op prepareRecvProvided(int fd, int groupId, int msgFlags) {
        if (groupId < 0 || groupId > BufferRing.MAX_GROUP_ID) {
            throw new IllegalArgumentException("buffer group id must be 0.." + BufferRing.MAX_GROUP_ID + ": " + groupId);
        }
        set(OpCode.RECV_PROVIDED, fd, 0, 0, NO_OFFSET, msgFlags);
        this.bufferGroup = groupId;
        return this;
    }

    /**
     * A hint for the RECV (or POLL for POLLIN) just prepared: the caller knows the socket had nothing left to read
     * when its last receive returned (a stream socket's receive that filled less than its buffer, or -EAGAIN), so
     * the driver may wait for readiness before the first attempt instead of making a call that would fail with
     * EAGAIN (io_uring: IORING_RECVSEND_POLL_FIRST for a RECV, nothing for a POLL, which only waits there; the poll
     * driver: no recv or poll(2) until the descriptor is reported readable again, and only when its own last receive
     * on that socket came back short or with EAGAIN). Only for stream sockets: for them a short receive means the
     * queue was empty, and data that arrives later is reported as a new readiness event.
     */
    public Op pollFirst() {
        checkIdle();
        if (code != OpCode.RECV && !(code == OpCode.POLL && (flags & POLLIN) != 0)) {
            throw new IllegalStateException("pollFirst applies to RECV and POLL for POLLIN, not " + code);
        }
        this.pollFirst = true;
        return this;
    }

    /** Whether {@link #pollFirst()} was asked for since the last prepare. */
    public boolean isPollFirst() {
        return pollFirst;
    }

    public Op prepareSend(int fd, long buffer, int length, int msgFlags) {
        return set(OpCode.SEND, fd, buffer, length, NO_OFFSET, msgFlags);
    }

    /** Gathering send of {@code iovCount} iovecs (16 bytes each: base, length) at {@code iovecs}. */
    public Op prepareSendv(int fd, long iovecs, int iovCount, int msgFlags) {
        return set(OpCode.SENDV, fd, iovecs, iovCount, NO_OFFSET, msgFlags);
    }

    public Op prepareRecvmsg(int fd, long msghdr, int msgFlags) {
        return set(OpCode.RECVMSG, fd, msghdr, 0, NO_OFFSET, msgFlags);
    }

    public Op prepareSendmsg(int fd, long msghdr, int msgFlags) {
        return set(OpCode.SENDMSG, fd, msghdr, 0, NO_OFFSET, msgFlags);
    }

    /** @param how SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2) */
    public Op prepareShutdown(int fd, int how) {
        return set(OpCode.SHUTDOWN, fd, 0, 0, NO_OFFSET, how);
    }

    public Op prepareClose(int fd) {
        return set(OpCode.CLOSE, fd, 0, 0, NO_OFFSET, 0);
    }

    /** One-shot readiness poll for {@code pollEvents} (POLLIN = 1, POLLOUT = 4, POLLRDHUP = 0x2000 ...). */
    public Op preparePoll(int fd, int pollEvents) {
        return set(OpCode.POLL, fd, 0, 0, NO_OFFSET, pollEvents);
    }

    /** Completes with -ETIME after {@code nanos}, or -ECANCELED if cancelled first. */
    public Op prepareTimeout(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("timeout must be >= 0: " + nanos);
        }
        return set(OpCode.TIMEOUT, -1, 0, 0, nanos, 0);
    }

    public Op prepareRead(int fd, long buffer, int length, long fileOffset) {
        return set(OpCode.READ, fd, buffer, length, fileOffset, 0);
    }

    public Op prepareWrite(int fd, long buffer, int length, long fileOffset) {
        return set(OpCode.WRITE, fd, buffer, length, fileOffset, 0);
    }

    /**
     * Moves up to {@code length} bytes from {@code fdIn} to {@code fdOut}. Linux (io_uring, poll): splice(2), one
     * of them must be a pipe; an offset of {@link #NO_OFFSET} uses (and advances) the descriptor's own position.
     * IOCP: {@code fdIn} is a file handle read from {@code offsetIn} (required), {@code fdOut} a connected socket
     * ({@code offsetOut} {@link #NO_OFFSET}), sent with TransmitFile, no pipe needed; flags are ignored, at most
     * 2^31 - 2 bytes go per op. On both, a result below {@code length} (0 at the end of the file) means the file
     * has no more.
     */
    public Op prepareSplice(int fdIn, long offsetIn, int fdOut, long offsetOut, int length, int spliceFlags) {
        set(OpCode.SPLICE, fdIn, 0, length, offsetIn, spliceFlags);
        this.fd2 = fdOut;
        this.offset2 = offsetOut;
        return this;
    }

    /** Attaches an object for the completion handler to find; the driver never looks at it. */
    public Op attach(Object attachment) {
        this.attachment = attachment;
        return this;
    }

    /** Sets the owner released once after this submission's final completion (null for none). */
    public Op owner(Owner owner) {
        checkIdle();
        this.owner = owner;
        return this;
    }

    public OpCode code() {
        return code;
    }

    public int fd() {
        return fd;
    }

    public long address() {
        return address;
    }

    public int length() {
        return length;
    }

    public long offset() {
        return offset;
    }

    public int flags() {
        return flags;
    }

    /** ACCEPT: the socklen_t pointer. */
    public long address2() {
        return address2;
    }

    /** SPLICE: the output descriptor. */
    public int fd2() {
        return fd2;
    }

    /** SPLICE: the output offset. */
    public long offset2() {
        return offset2;
    }

    /** RECV_PROVIDED: the buffer group the driver picks from; -1 for other ops. */
    public int bufferGroup() {
        return bufferGroup;
    }

    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    public Owner owner() {
        return owner;
    }

    public boolean isInFlight() {
        return slot >= 0;
    }

    /** A multishot accept or receive: more than one completion per submission. */
    public boolean isMultishot() {
        return multishot;
    }

    // ---- for drivers only ----

    /** Driver use: the in-flight slot, or -1. */
    public int slot() {
        return slot;
    }

    /** Driver use: marks the op in flight at {@code slot} (>= 0) or idle (-1). */
    public void slot(int slot) {
        this.slot = slot;
    }

    /** Driver use: detaches and returns the owner, so that a handler may set a new one before resubmitting. */
    public Owner takeOwner() {
        Owner o = owner;
        owner = null;
        return o;
    }

    @Override
    public String toString() {
        return "Op[" + code + " fd=" + fd + (slot >= 0 ? " in flight" : "") + "]";
    }
}
