package dev.proactor.runtime.uring;

/**
 * The 64-bit user_data of an SQE. A user op carries its {@code InFlightOps} slot (low 32 bits) and that slot's
 * generation (next 24 bits), so a late CQE can never be taken for a later op in the same slot. The top byte
 * is a tag: internal requests (the wake read, cancels, poll-wait timeouts) have a non-zero tag and their
 * completions are consumed by the driver.
 */
final class UserData {
    static final int TAG_OP = 0;
    static final int TAG_WAKE = 1;
    static final int TAG_CANCEL = 2;
    static final int TAG_WAIT_TIMEOUT = 3;

    static final int GENERATION_MASK = 0xff_ffff;

    private UserData() {
    }

    static long op(int slot, int generation) {
        return (long) (generation & GENERATION_MASK) << 32 | (slot & 0xffff_ffffL);
    }

    static long internal(int tag, int sequence) {
        return (long) tag << 56 | (sequence & 0xffff_ffffL);
    }

    static int tag(long userData) {
        return (int) (userData >>> 56);
    }

    static int slot(long userData) {
        return (int) userData;
    }

    static int generation(long userData) {
        return (int) (userData >>> 32) & GENERATION_MASK;
    }

    static int sequence(long userData) {
        return (int) userData;
    }
}
