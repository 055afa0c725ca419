package dev.proactor.runtime;

/** Receives completions on the driver's owning thread, in batches, during {@link Driver#poll}. */
@FunctionalInterface
public interface CompletionHandler {
    /**
     * @param op     the operation; it is no longer in flight unless {@code (flags & Completion.MORE) != 0},
     *               so the handler may prepare and submit it again
     * @param result bytes transferred, a file descriptor, an event mask, or a negative errno
     * @param flags  {@link Completion} flags
     */
    void complete(Op op, int result, int flags);
}
