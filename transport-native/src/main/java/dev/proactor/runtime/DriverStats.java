package dev.proactor.runtime;

import java.util.Locale;

/**
 * A snapshot of a driver's {@link DriverCounters}: counts since the driver opened. Subtract two snapshots
 * ({@link #minus}) for an interval, add the snapshots of several event loops ({@link #plus}) for a group.
 *
 * @param kind           the driver (null for a sum over drivers of different kinds)
 * @param submitted      operations accepted by {@link Driver#submit}
 * @param completions    completions delivered to handlers (a multishot op delivers several)
 * @param polls          calls of {@link Driver#poll}
 * @param kernelWaits    system calls into the kernel's completion mechanism: io_uring_enter (io_uring, including
 *                       the submit-only ones a full submission queue forces), epoll_wait (poll),
 *                       GetQueuedCompletionStatusEx (IOCP)
 * @param directCalls    system calls made for operations outside the wait: the poll driver's non-blocking attempts
 *                       (recv, send, accept, ...) and closes, IOCP's overlapped calls (WSARecv, WSASend, AcceptEx,
 *                       ...); io_uring makes none. The poll driver's epoll_ctl registrations are not counted.
 * @param cancels        cancel requests for operations in flight
 * @param bufferRecycles provided buffers given back to their ring after use
 */
public record DriverStats(DriverKind kind, long submitted, long completions, long polls, long kernelWaits,
                          long directCalls, long cancels, long bufferRecycles) {

    /** Nothing counted yet. */
    public static DriverStats zero(DriverKind kind) {
        return new DriverStats(kind, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Completions per kernel wait: how many results one system call brought back on average (0 if none was made). */
    public double completionsPerKernelWait() {
        return kernelWaits == 0 ? 0 : (double) completions / kernelWaits;
    }

    /** System calls per operation submitted: kernel waits and direct calls together (0 if nothing was submitted). */
    public double syscallsPerSubmission() {
        return submitted == 0 ? 0 : (double) (kernelWaits + directCalls) / submitted;
    }

    /** What happened between {@code earlier} and this snapshot. */
    public DriverStats minus(DriverStats earlier) {
        return new DriverStats(kind, submitted - earlier.submitted, completions - earlier.completions,
                polls - earlier.polls, kernelWaits - earlier.kernelWaits, directCalls - earlier.directCalls,
                cancels - earlier.cancels,
                bufferRecycles - earlier.bufferRecycles);
    }

    /** The sum of two drivers' counts (the kind is kept only if both have the same). */
    public DriverStats plus(DriverStats other) {
        return new DriverStats(kind == other.kind ? kind : null, submitted + other.submitted,
                completions + other.completions, polls + other.polls, kernelWaits + other.kernelWaits,
                directCalls + other.directCalls, cancels + other.cancels, bufferRecycles + other.bufferRecycles);
    }

    /** One line, e.g. {@code io_uring: submitted=10 completions=10 polls=3 kernelWaits=3 batch=3.33 directCalls=0 cancels=0 bufferRecycles=0}. */
    @Override
    public String toString() {
        return (kind == null ? "mixed" : kind.propertyName()) + ": submitted=" + submitted + " completions=" + completions
                + " polls=" + polls + " kernelWaits=" + kernelWaits
                + " batch=" + String.format(Locale.ROOT, "%.2f", completionsPerKernelWait())
                + " directCalls=" + directCalls + " cancels=" + cancels + " bufferRecycles=" + bufferRecycles;
    }
}
