package dev.proactor.runtime;

/** The one-driver-per-thread rule, checked the same way by every driver. */
public final class OwnerThread {
    private OwnerThread() {
    }

    /** Throws unless the caller is {@code owner}, naming both threads. */
    public static void check(Thread owner, String driverName) {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException(driverName + " driver belongs to thread '" + owner.getName()
                    + "' but was called from thread '" + current.getName() + "'");
        }
    }
}
