package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;

/**
 * A stream channel's one-shot POLLRDHUP poll: it lets a channel that is not reading (AUTO_READ off, or no read()
 * asked for) notice its peer's FIN or RST, as epoll's EPOLLRDHUP and Netty's io_uring transport do. Armed only
 * when no receive is in flight (a receive notices the close by itself), so a channel that always reads never
 * pays for it; once armed it stays until the peer closes or the channel cancels it at close or deregistration.
 * The kernel reports POLLERR and POLLHUP even if not asked for: both mean the input must be read to its end too.
 */
final class PeerCloseWatch {
    private final Op op = new Op();
    final ProactorIoOps ops = new ProactorIoOps(op);
    /** It reported the peer's close: the input ends, the poll is never armed again. */
    private boolean fired;

    /** IOCP has no read-hangup readiness (WSAPoll): a peer's close is seen by the next receive there. */
    static boolean supports(DriverKind driver) {
        return driver != null && driver != DriverKind.IOCP;
    }

    /** Prepares the poll on {@code fd} if it should be armed now; the caller submits {@link #ops}. */
    boolean prepare(int fd) {
        if (fired || op.isInFlight()) {
            return false;
        }
        op.preparePoll(fd, LinuxConstants.POLLRDHUP);
        return true;
    }

    boolean owns(Op o) {
        return o == op;
    }

    boolean isInFlight() {
        return op.isInFlight();
    }

    /**
     * Takes the poll's completion; true if the peer closed (or the socket failed), so the input must be drained
     * to its end. A cancelled poll (close, deregistration) may be armed again later.
     */
    boolean completed(int result) {
        if (result == -Errno.ECANCELED) {
            return false;
        }
        fired = true;
        return result > 0;
    }
}
