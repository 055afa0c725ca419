package dev.proactor.runtime;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/**
 * An operating-system error, named: {@code "connect: ECONNREFUSED (Connection refused)"}. Connection
 * failures are {@link ConnectException}s (or {@link NoRouteToHostException}) so that callers written against
 * the JDK recognise them; each implements {@link NativeError} to give the code.
 */
public class ErrnoException extends IOException implements NativeError {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public ErrnoException(String operation, int errno) {
        super(message(operation, errno));
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

    static String message(String operation, int errno) {
        return operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
    }

    /** The exception for a failed operation: a result of -errno (or errno). */
    public static IOException of(String operation, int errno) {
        int e = Math.abs(errno);
        switch (e) {
            case Errno.ECONNREFUSED:
            case Errno.ETIMEDOUT:
            case Errno.ENETUNREACH:
                return new Connect(operation, e);
            case Errno.EHOSTUNREACH:
                return new NoRoute(operation, e);
            default:
                return new ErrnoException(operation, e);
        }
    }

    /** A failed connection attempt, as a {@link ConnectException} that names the errno. */
    public static final class Connect extends ConnectException implements NativeError {
        private static final long serialVersionUID = 1L;
        private final int errno;

        Connect(String operation, int errno) {
            super(message(operation, errno));
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

        NoRoute(String operation, int errno) {
            super(message(operation, errno));
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
