package dev.proactor.runtime.iocp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** ntdll's status translation: a completed OVERLAPPED holds an NTSTATUS, not a Win32 error. */
final class Ntdll {
    static {
        Native.register(Ntdll.class, NativeLibrary.getInstance("ntdll"));
    }

    private Ntdll() {
    }

    /** The Win32 error for an NTSTATUS (a pure table lookup, no system call). */
    static native int RtlNtStatusToDosError(int status);
}
