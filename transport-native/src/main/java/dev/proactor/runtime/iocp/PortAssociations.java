package dev.proactor.runtime.iocp;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The handles one driver has associated with its completion port, so that each is associated once, on its
 * first use. A handle stays associated with one port for its whole life, and Windows hands its number out
 * again as soon as it is closed (at once, in practice): a table that still listed a closed number would
 * issue I/O on the new handle without associating it, and that I/O's completion would never arrive. So every
 * close of a handle a driver may have seen goes through {@link #handleClosed} first (sockets' close and the
 * drivers' CLOSE op do), which tells every open table to forget the number; a table reads those notices
 * before each lookup. Handles closed by other means must not be reused with a driver.
 */
public final class PortAssociations {
    /** Associated here; a synchronous success queues no packet (FILE_SKIP_COMPLETION_PORT_ON_SUCCESS). */
    static final byte SKIP_ON_SUCCESS = 1;
    /** Associated here, but the notification modes could not be set: every success queues a packet. */
    static final byte PACKET_ON_SUCCESS = 2;
    /** Already associated with another port (another driver's): its packets are forwarded here. */
    static final byte ELSEWHERE = 3;

    private static final Set<PortAssociations> OPEN = ConcurrentHashMap.newKeySet();

    private final long port;
    private final ConcurrentLinkedQueue<Integer> closedNotices = new ConcurrentLinkedQueue<>();
    /** Open addressing with linear probing; key 0 is empty (no handle has the value 0). */
    private int[] keys = new int[64];
    private byte[] states = new byte[64];
    private int size;

    PortAssociations(long port) {
        this.port = port;
        OPEN.add(this);
    }

    /** Tells every open driver that {@code handle} is about to be closed. Any thread. */
    public static void handleClosed(int handle) {
        Integer boxed = handle;
        for (PortAssociations table : OPEN) {
            table.closedNotices.add(boxed);
        }
    }

    /** Stops receiving notices (driver closed). */
    void close() {
        OPEN.remove(this);
    }

    /**
     * Associates {@code handle} with the port unless already done; returns its state ({@link #SKIP_ON_SUCCESS},
     * {@link #PACKET_ON_SUCCESS}, {@link #ELSEWHERE}) or a negative Win32 error.
     */
    int associate(int handle) {
        if (!closedNotices.isEmpty()) {
            Integer h;
            while ((h = closedNotices.poll()) != null) {
                remove(h);
            }
        }
        int i = find(handle);
        if (keys[i] == handle) {
            return states[i];
        }
        byte state;
        if (Kernel32.CreateIoCompletionPort(handle, port, IocpDriver.IO_KEY, 0) == 0) {
            int e = Kernel32.lastError();
            if (e != dev.proactor.runtime.WinError.ERROR_INVALID_PARAMETER) {
                return -e;
            }
            state = ELSEWHERE;
        } else {
            int modes = Kernel32.FILE_SKIP_COMPLETION_PORT_ON_SUCCESS | Kernel32.FILE_SKIP_SET_EVENT_ON_HANDLE;
            state = Kernel32.SetFileCompletionNotificationModes(handle, (byte) modes) != 0 ? SKIP_ON_SUCCESS : PACKET_ON_SUCCESS;
        }
        put(handle, state);
        return state;
    }

    /** This driver closes {@code handle}: forget it here and everywhere. */
    void closing(int handle) {
        remove(handle);
        handleClosed(handle);
    }

    int size() {
        return size;
    }

    private int find(int handle) {
        int mask = keys.length - 1;
        int i = mix(handle) & mask;
        while (keys[i] != 0 && keys[i] != handle) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int mix(int h) {
        return (h >>> 2) * 0x9E3779B1; // handles are multiples of 4
    }

    private void put(int handle, byte state) {
        if ((size + 1) * 2 > keys.length) {
            rehash(keys.length * 2);
        }
        int i = find(handle);
        if (keys[i] == 0) {
            size++;
        }
        keys[i] = handle;
        states[i] = state;
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        byte[] oldStates = states;
        keys = new int[capacity];
        states = new byte[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                put(oldKeys[i], oldStates[i]);
            }
        }
    }

    private void remove(int handle) {
        int i = find(handle);
        if (keys[i] != handle) {
            return;
        }
        keys[i] = 0;
        size--;
        // Backward-shift deletion keeps every probe chain unbroken.
        int mask = keys.length - 1;
        int j = i;
        for (;;) {
            j = (j + 1) & mask;
            if (keys[j] == 0) {
                return;
            }
            int home = mix(keys[j]) & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = keys[j];
                states[i] = states[j];
                keys[j] = 0;
                i = j;
            }
        }
    }

    @Override
    public String toString() {
        return "PortAssociations[" + size + " handles: " + Arrays.toString(Arrays.stream(keys).filter(k -> k != 0).toArray()) + "]";
    }
}
