package dev.proactor.runtime.iocp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.WString;

/**
 * The kernel32 calls of the IOCP driver, through JNA direct mapping. Handles and pointers are {@code long}s;
 * a call that fails leaves its Win32 error in {@link #lastError()} (JNA keeps GetLastError per thread right
 * after each call: asking kernel32 for it again would see the error of that second call).
 */
public final class Kernel32 {
    public static final boolean AVAILABLE;
    public static final Throwable UNAVAILABILITY_CAUSE;

    public static final long INVALID_HANDLE_VALUE = -1L;
    public static final int INFINITE = -1;
    public static final int WAIT_TIMEOUT = 258;

    public static final byte FILE_SKIP_COMPLETION_PORT_ON_SUCCESS = 1;
    public static final byte FILE_SKIP_SET_EVENT_ON_HANDLE = 2;

    public static final int GENERIC_READ = 0x80000000;
    public static final int GENERIC_WRITE = 0x40000000;
    public static final int FILE_SHARE_READ = 1;
    public static final int FILE_SHARE_WRITE = 2;
    public static final int FILE_SHARE_DELETE = 4;
    public static final int CREATE_ALWAYS = 2;
    public static final int OPEN_EXISTING = 3;
    public static final int OPEN_ALWAYS = 4;
    public static final int FILE_ATTRIBUTE_NORMAL = 0x80;
    public static final int FILE_FLAG_OVERLAPPED = 0x40000000;
    public static final int FILE_FLAG_SEQUENTIAL_SCAN = 0x08000000;

    static {
        Throwable cause = null;
        if (Platform.isWindows()) {
            try {
                Native.register(Kernel32.class, NativeLibrary.getInstance("kernel32"));
            } catch (Throwable t) {
                cause = t;
            }
        } else {
            cause = new UnsupportedOperationException("not Windows: " + System.getProperty("os.name"));
        }
        AVAILABLE = cause == null;
        UNAVAILABILITY_CAUSE = cause;
    }

    private Kernel32() {
    }

    /** The Win32 error of the last failed call on this thread. */
    public static int lastError() {
        return Native.getLastError();
    }

    public static native long CreateIoCompletionPort(long fileHandle, long existingPort, long completionKey, int threads);

    /** entries: OVERLAPPED_ENTRY[count]; removed: a ULONG. Returns non-zero on success. */
    public static native int GetQueuedCompletionStatusEx(long port, long entries, int count, long removed, int millis, int alertable);

    public static native int PostQueuedCompletionStatus(long port, int bytes, long completionKey, long overlapped);

    public static native int CancelIoEx(long handle, long overlapped);

    public static native int CloseHandle(long handle);

    public static native int SetFileCompletionNotificationModes(long handle, byte flags);

    public static native int ReadFile(long handle, long buffer, int length, long transferred, long overlapped);

    public static native int WriteFile(long handle, long buffer, int length, long transferred, long overlapped);

    public static native long CreateFileW(WString path, int access, int share, long security, int disposition, int flags, long template);

    /** Anonymous pipes do not support overlapped I/O; tests use named pipes. */
    public static native long CreateNamedPipeW(WString name, int openMode, int pipeMode, int maxInstances, int outSize, int inSize, int defaultTimeout, long security);

    public static native int ConnectNamedPipe(long pipe, long overlapped);
}
