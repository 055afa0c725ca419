package dev.proactor.runtime.uring;

import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;

import static dev.proactor.runtime.uring.UringConstants.*;

/**
 * Turns an {@link Op} into its SQE. Sockets are non-blocking, so only opcodes that wait by arming an internal
 * poll are used on them (RECV, SEND, SENDMSG, RECVMSG, ACCEPT, CONNECT): READV/WRITEV would fail with EAGAIN.
 */
final class OpEncoder {
    private static final int ACCEPT_FLAGS = LinuxConstants.SOCK_NONBLOCK | LinuxConstants.SOCK_CLOEXEC;

    private final SubmissionQueue sq;
    private final OpScratch scratch;
    private final boolean multishotAccept;
    /** The ioprio of a RECV asked to poll first: RECVSEND_POLL_FIRST where the kernel knows it, else 0. */
    private final int pollFirstIoprio;

    OpEncoder(SubmissionQueue sq, OpScratch scratch, boolean multishotAccept, boolean pollFirst) {
        this.sq = sq;
        this.scratch = scratch;
        this.multishotAccept = multishotAccept;
        this.pollFirstIoprio = pollFirst ? RECVSEND_POLL_FIRST : 0;
    }

    /** Queues the SQE for {@code op}; the caller has made room in the SQ. */
    void encode(Op op, int slot, long userData) {
        int fd = op.fd();
        switch (op.code()) {
            case NOP:
                sq.add(OP_NOP, 0, -1, 0, 0, 0, 0, userData, 0);
                break;
            case ACCEPT:
                // off carries the socklen_t pointer (addr2); the accepted socket is non-blocking and close-on-exec.
                sq.add(OP_ACCEPT, op.isMultishot() && multishotAccept ? ACCEPT_MULTISHOT : 0, fd, op.address2(),
                        op.address(), 0, ACCEPT_FLAGS, userData, 0);
                break;
            case CONNECT:
                // off carries the sockaddr length.
                sq.add(OP_CONNECT, 0, fd, op.length(), op.address(), 0, 0, userData, 0);
                break;
            case RECV:
                sq.add(OP_RECV, op.isPollFirst() ? pollFirstIoprio : 0, fd, 0, op.address(), op.length(), op.flags(),
                        userData, 0);
                break;
            case RECV_PROVIDED:
                // The kernel selects a buffer of buf_group when data is there; len 0 = the whole buffer.
                sq.add(OP_RECV, SQE_BUFFER_SELECT, op.isMultishot() ? RECV_MULTISHOT : 0, fd, 0, 0, 0, op.flags(),
                        userData, op.bufferGroup(), 0);
                break;
            case SEND:
                sq.add(OP_SEND, 0, fd, 0, op.address(), op.length(), op.flags() | LinuxConstants.MSG_NOSIGNAL, userData, 0);
                break;
            case SENDV:
                sq.add(OP_SENDMSG, 0, fd, 0, scratch.msghdr(slot, op.address(), op.length()), 1,
                        op.flags() | LinuxConstants.MSG_NOSIGNAL, userData, 0);
                break;
            case RECVMSG:
                sq.add(OP_RECVMSG, 0, fd, 0, op.address(), 1, op.flags(), userData, 0);
                break;
            case SENDMSG:
                sq.add(OP_SENDMSG, 0, fd, 0, op.address(), 1, op.flags() | LinuxConstants.MSG_NOSIGNAL, userData, 0);
                break;
            case SHUTDOWN:
                sq.add(OP_SHUTDOWN, 0, fd, 0, 0, op.flags(), 0, userData, 0);
                break;
            case CLOSE:
                sq.add(OP_CLOSE, 0, fd, 0, 0, 0, 0, userData, 0);
                break;
            case POLL:
                // poll32_events; len 0 = one-shot
                sq.add(OP_POLL_ADD, 0, fd, 0, 0, 0, op.flags(), userData, 0);
                break;
            case TIMEOUT:
                // off = 0: a pure timeout, not "after n completions"
                sq.add(OP_TIMEOUT, 0, -1, 0, scratch.timespec(slot, op.offset()), 1, 0, userData, 0);
                break;
            case READ:
                // an offset of -1 means the file position (IORING_FEAT_RW_CUR_POS), which is Op.NO_OFFSET
                sq.add(OP_READ, 0, fd, op.offset(), op.address(), op.length(), 0, userData, 0);
                break;
            case WRITE:
                sq.add(OP_WRITE, 0, fd, op.offset(), op.address(), op.length(), 0, userData, 0);
                break;
            case SPLICE:
                // fd is the output, splice_fd_in the input; off is off_out and addr is off_in (-1: the fd position)
                sq.add(OP_SPLICE, 0, op.fd2(), op.offset2(), op.offset(), op.length(), op.flags(), userData, fd);
                break;
            default:
                throw new IllegalArgumentException("unsupported operation: " + op.code());
        }
    }

    /** A provided-buffer receive emulated without buffer select: a plain RECV into the buffer the driver lent it. */
    void encodeRecvInto(Op op, long buffer, int length, long userData) {
        sq.add(OP_RECV, 0, op.fd(), 0, buffer, length, op.flags(), userData, 0);
    }
}
