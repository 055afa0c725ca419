package dev.proactor.runtime;

/** An exception that carries an operating-system error code (an errno on Unix, a Win32/Winsock code on Windows). */
public interface NativeError {
    /** The positive error code. */
    int code();

    /** Its symbolic name: "ECONNRESET", "WSAECONNRESET", ... */
    String codeName();
}
