package dev.proactor.runtime.iocp;

import com.sun.jna.Pointer;

/**
 * Reads and writes memory an op names by address (iovecs, msghdrs, socklen_t's, sockaddrs) through one
 * reusable JNA pointer, so the per-op path allocates nothing. Owning thread only.
 */
final class CallerMemory {
    private final Cursor cursor = new Cursor();

    /** A Pointer whose address can be moved (JNA's peer field is protected for subclasses). */
    private static final class Cursor extends Pointer {
        Cursor() {
            super(0);
        }

        Pointer at(long address) {
            peer = address;
            return this;
        }
    }

    long getLong(long address) {
        return cursor.at(address).getLong(0);
    }

    int getInt(long address) {
        return cursor.at(address).getInt(0);
    }

    short getShort(long address) {
        return cursor.at(address).getShort(0);
    }

    void putInt(long address, int value) {
        cursor.at(address).setInt(0, value);
    }

    void putLong(long address, long value) {
        cursor.at(address).setLong(0, value);
    }

    void read(long address, byte[] into, int length) {
        cursor.at(address).read(0, into, 0, length);
    }

    void write(long address, byte[] from, int length) {
        cursor.at(address).write(0, from, 0, length);
    }
}
