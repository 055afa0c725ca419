package dev.proactor.runtime.net;

import com.sun.jna.Platform;

import java.io.IOException;

/**
 * The synchronous socket calls behind {@link Socket}, one implementation per operating system, chosen once.
 * Failures are thrown as named exceptions ({@link dev.proactor.runtime.ErrnoException}); option numbers and
 * value layouts are translated here, so {@link Socket} only deals with {@link NativeSocketOption}s.
 */
interface SocketCalls {
    SocketCalls CURRENT = Platform.isWindows() ? new WinsockSocketCalls() : new LinuxSocketCalls();

    /** AF_INET6 on this system (10 on Linux, 23 on Windows). */
    int afInet6();

    /** AF_UNIX (1 on both). */
    default int afUnix() {
        return 1;
    }

    /** Whether this system has {@code option} (Linux: every one of {@link SocketOptions}). */
    default boolean supports(NativeSocketOption<?> option) {
        return true;
    }

    /** A new socket, non-blocking (and on Windows overlapped and not inheritable). */
    int open(int family, int type) throws IOException;

    /** Whether a socket of {@code family} can be opened at all (probed once, e.g. for IPv6). */
    boolean canOpen(int family);

    void bind(int fd, long sockaddr, int length, Object addressForMessage) throws IOException;

    void listen(int fd, int backlog) throws IOException;

    /**
     * getsockname or getpeername into {@code sockaddr}, whose size is in the socklen at {@code lengthPtr}
     * (where the address length is left).
     *
     * @return 0, or -1 when the peer is asked for and the socket is not connected
     */
    int address(int fd, boolean local, long sockaddr, long lengthPtr) throws IOException;

    /** Sets an option from an int: 0/1 for booleans, the value for ints, seconds or -1 (off) for SO_LINGER. */
    void setOption(int fd, NativeSocketOption<?> option, int value) throws IOException;

    /** Reads an option as an int, in the same form; SO_ERROR as a Linux errno. */
    int getOption(int fd, NativeSocketOption<?> option) throws IOException;

    /** setsockopt with this system's own level and option numbers. */
    void setRawIntOption(int fd, int level, int optname, int value) throws IOException;

    int getRawIntOption(int fd, int level, int optname) throws IOException;

    /** setsockopt with this system's own numbers and a value of {@code length} bytes at {@code value}; {@code what} names it in errors. */
    void setRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException;

    /** getsockopt into {@code length} bytes at {@code value}; returns the length the system wrote. */
    int getRawOption(int fd, int level, int optname, long value, int length, String what) throws IOException;

    /** Dissolves a datagram socket's association with its peer (never blocks). */
    void disconnect(int fd, int family) throws IOException;

    /** Whether the calls are Winsock's (option numbers and request layouts follow Windows). */
    default boolean isWinsock() {
        return false;
    }

    /** shutdown; a socket that is not connected is not an error. */
    void shutdown(int fd, int how) throws IOException;

    void close(int fd) throws IOException;
}
