package dev.proactor.runtime;

/**
 * What keeps an operation's memory alive. A driver calls {@link #release()} exactly once per submission,
 * and only after the operation's final completion has been delivered (or, at driver close, after the
 * kernel has finished with it).
 */
@FunctionalInterface
public interface Owner {
    void release();
}
