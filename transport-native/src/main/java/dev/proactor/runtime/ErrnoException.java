package dev.proactor.runtime;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * An operating-system error, named: {@code "connect: ECONNREFUSED (Connection refused)"}. Connection
 * failures are {@link ConnectException}s (or {@link NoRouteToHostException}) so that callers written against
 * the JDK recognise them; each implements {@link NativeError} to give the code.
 *
 * <p>The code is a Linux errno on every system, so that code comparing results works everywhere. On Windows
 * the message names the Windows error as well: {@code "recv: ECONNRESET (WSAECONNRESET 10054: An existing
 * connection was forcibly closed by the remote host)"}, the exact one where the caller knows it
 * ({@link #of(String, int, int)}), otherwise the one that usually means this errno ({@link WinError}).
 */
public class ErrnoException extends IOException implements NativeError {
    private static final long serialVersionUID = 1L;
    private static final boolean WINDOWS = com.sun.jna.Platform.isWindows();
    private final int errno;

    public ErrnoException(String operation, int errno) {
        this(operation, errno, WINDOWS ? WinError.canonicalCode(errno) : 0);
    }

    /** @param windowsCode the Win32/Winsock error behind {@code errno}, named in the message (0: none) */
    public ErrnoException(String operation, int errno, int windowsCode) {
        super(message(operation, errno, windowsCode));
        this.errno = Math.abs(errno);
    }

    @Override
    public int code() {
        return errno;
    }

    @Override
    public String codeName() {
        return Errno.name(errno);
    }

    static String message(String operation, int errno, int windowsCode) {
        String detail = windowsCode != 0 ? WinError.describe(windowsCode) : Errno.description(errno);
        return operation + ": " + Errno.name(errno) + " (" + detail + ")";
    }

    /** The exception for a failed operation: a result of -errno (or errno). */
    public static IOException of(String operation, int errno) {
        return of(operation, errno, WINDOWS ? WinError.canonicalCode(errno) : 0);
    }

    /** The exception for a Windows call that failed with {@code windowsCode}, which the message names. */
    public static IOException ofWindows(String operation, int windowsCode) {
        return of(operation, WinError.toErrno(windowsCode), windowsCode);
    }

    /** As {@link #of(String, int)}, naming {@code windowsCode} (the Windows error behind the errno) in the message. */
    public static IOException of(String operation, int errno, int windowsCode) {
        int e = Math.abs(errno);
        switch (e) {
            case Errno.ECONNREFUSED:
            case Errno.ETIMEDOUT:
            case Errno.ENETUNREACH:
                return new Connect(operation, e, windowsCode);
            case Errno.EHOSTUNREACH:
                return new NoRoute(operation, e, windowsCode);
            default:
                return new ErrnoException(operation, e, windowsCode);
        }
    }

    /** A failed connection attempt, as a {@link ConnectException} that names the errno. */
    public static final class Connect extends ConnectException implements NativeError {
        private static final long serialVersionUID = 1L;
        private final int errno;

        Connect(String operation, int errno, int windowsCode) {
            super(message(operation, errno, windowsCode));
            this.errno = errno;
        }

        @Override
        public int code() {
            return errno;
        }

        @Override
        public String codeName() {
            return Errno.name(errno);
        }
    }

    /** EHOSTUNREACH, as the JDK's {@link NoRouteToHostException}. */
    public static final class NoRoute extends NoRouteToHostException implements NativeError {
        private static final long serialVersionUID = 1L;
        private final int errno;

        NoRoute(String operation, int errno, int windowsCode) {
            super(message(operation, errno, windowsCode));
            this.errno = errno;
        }

        @Override
        public int code() {
            return errno;
        }

        @Override
        public String codeName() {
            return Errno.name(errno);
        }
    }
}
