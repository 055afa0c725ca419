package dev.proactor.runtime;

/** Completion flags, bit-compatible with io_uring's CQE flags so the io_uring driver passes them through. */
public final class Completion {
    /** A provided buffer was used; its id is {@link #bufferId(int)}. */
    public static final int BUFFER = 1;
    /** More completions of the same (multishot) operation follow. */
    public static final int MORE = 1 << 1;
    /** The socket had more data after this receive. */
    public static final int SOCK_NONEMPTY = 1 << 2;
    /** A zero-copy send's notification that the buffer may be reused. */
    public static final int NOTIF = 1 << 3;

    private static final int BUFFER_SHIFT = 16;

    private Completion() {
    }

    public static boolean hasMore(int flags) {
        return (flags & MORE) != 0;
    }

    public static int bufferId(int flags) {
        return flags >>> BUFFER_SHIFT;
    }

    /** Whether the completion hands a provided buffer to the consumer (see {@link BufferRing}). */
    public static boolean hasBuffer(int flags) {
        return (flags & BUFFER) != 0;
    }

    /** The flags of a completion that hands out buffer {@code bufferId}: BUFFER and the id (drivers emulating it). */
    public static int withBuffer(int bufferId) {
        return BUFFER | bufferId << BUFFER_SHIFT;
    }
}
