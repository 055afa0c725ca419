package dev.proactor.runtime;

/** The operations a {@link Driver} performs. Every driver supports every code (the poll driver emulates them). */
public enum OpCode {
    NOP,
    ACCEPT,
    CONNECT,
    RECV,
    /** recv into a buffer the driver picks from a {@link BufferRing} (buffer select); single or multishot. */
    RECV_PROVIDED,
    SEND,
    /** Gathering send: an iovec array written with sendmsg. */
    SENDV,
    /** recvmsg with a caller-owned msghdr (peer address, control data). */
    RECVMSG,
    /** sendmsg with a caller-owned msghdr. */
    SENDMSG,
    SHUTDOWN,
    CLOSE,
    /** Readiness poll: completes with the ready event mask (POLLIN, POLLOUT, ...). */
    POLL,
    /** Completes with -ETIME when the time has passed. */
    TIMEOUT,
    /** read(2)/pread(2) into memory: at a file offset, or at the current position when the offset is -1. */
    READ,
    /** write(2)/pwrite(2). */
    WRITE,
    /** Zero-copy file transfer: splice(2) between a pipe and a file or socket (Linux); TransmitFile file → socket (IOCP). */
    SPLICE
}
