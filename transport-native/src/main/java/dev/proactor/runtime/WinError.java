package dev.proactor.runtime;

import java.util.HashMap;
import java.util.Map;

/**
 * Win32 and Winsock error codes the runtime names, with the Linux errno each one means. Drivers report
 * errnos everywhere (so that {@code -ECONNRESET} is the same result on io_uring, poll and IOCP); the Windows
 * name stays in messages: {@code "recv: ECONNRESET (WSAECONNRESET 10054: An existing connection was forcibly
 * closed by the remote host)"}.
 */
public final class WinError {
    public static final int ERROR_FILE_NOT_FOUND = 2;
    public static final int ERROR_PATH_NOT_FOUND = 3;
    public static final int ERROR_ACCESS_DENIED = 5;
    public static final int ERROR_INVALID_HANDLE = 6;
    public static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    public static final int ERROR_HANDLE_EOF = 38;
    public static final int ERROR_NOT_SUPPORTED = 50;
    public static final int ERROR_NETNAME_DELETED = 64;
    public static final int ERROR_INVALID_PARAMETER = 87;
    public static final int ERROR_BROKEN_PIPE = 109;
    public static final int ERROR_SEM_TIMEOUT = 121;
    public static final int ERROR_MORE_DATA = 234;
    public static final int ERROR_NO_DATA = 232;
    public static final int ERROR_PIPE_CONNECTED = 535;
    public static final int ERROR_OPERATION_ABORTED = 995;
    public static final int ERROR_IO_INCOMPLETE = 996;
    public static final int ERROR_IO_PENDING = 997;
    public static final int ERROR_NOT_FOUND = 1168;
    public static final int ERROR_CONNECTION_REFUSED = 1225;
    public static final int ERROR_GRACEFUL_DISCONNECT = 1226;
    public static final int ERROR_CONNECTION_INVALID = 1229;
    public static final int ERROR_NETWORK_UNREACHABLE = 1231;
    public static final int ERROR_HOST_UNREACHABLE = 1232;
    public static final int ERROR_PORT_UNREACHABLE = 1234;
    public static final int ERROR_CONNECTION_ABORTED = 1236;
    public static final int ERROR_NO_SYSTEM_RESOURCES = 1450;

    public static final int WSAEINTR = 10004;
    public static final int WSAEBADF = 10009;
    public static final int WSAEACCES = 10013;
    public static final int WSAEFAULT = 10014;
    public static final int WSAEINVAL = 10022;
    public static final int WSAEMFILE = 10024;
    public static final int WSAEWOULDBLOCK = 10035;
    public static final int WSAEINPROGRESS = 10036;
    public static final int WSAEALREADY = 10037;
    public static final int WSAENOTSOCK = 10038;
    public static final int WSAEDESTADDRREQ = 10039;
    public static final int WSAEMSGSIZE = 10040;
    public static final int WSAEPROTOTYPE = 10041;
    public static final int WSAENOPROTOOPT = 10042;
    public static final int WSAEPROTONOSUPPORT = 10043;
    public static final int WSAESOCKTNOSUPPORT = 10044;
    public static final int WSAEOPNOTSUPP = 10045;
    public static final int WSAEPFNOSUPPORT = 10046;
    public static final int WSAEAFNOSUPPORT = 10047;
    public static final int WSAEADDRINUSE = 10048;
    public static final int WSAEADDRNOTAVAIL = 10049;
    public static final int WSAENETDOWN = 10050;
    public static final int WSAENETUNREACH = 10051;
    public static final int WSAENETRESET = 10052;
    public static final int WSAECONNABORTED = 10053;
    public static final int WSAECONNRESET = 10054;
    public static final int WSAENOBUFS = 10055;
    public static final int WSAEISCONN = 10056;
    public static final int WSAENOTCONN = 10057;
    public static final int WSAESHUTDOWN = 10058;
    public static final int WSAETIMEDOUT = 10060;
    public static final int WSAECONNREFUSED = 10061;
    public static final int WSAEHOSTDOWN = 10064;
    public static final int WSAEHOSTUNREACH = 10065;
    public static final int WSANOTINITIALISED = 10093;
    public static final int WSAEDISCON = 10101;
    public static final int WSAECANCELLED = 10103;

    private record Entry(int code, String name, String text, int errno) {
    }

    private static final Map<Integer, Entry> BY_CODE = new HashMap<>();
    /** For each errno, the Windows code that usually produces it (Winsock's where there is one). */
    private static final Map<Integer, Entry> CANONICAL = new HashMap<>();

    static {
        // The first code defined for an errno is its canonical one: Winsock's first, ERROR_OPERATION_ABORTED for ECANCELED.
        def(WSAEINTR, "WSAEINTR", "A blocking operation was interrupted", Errno.EINTR);
        def(WSAEBADF, "WSAEBADF", "The file handle supplied is not valid", Errno.EBADF);
        def(WSAEACCES, "WSAEACCES", "An attempt was made to access a socket in a way forbidden by its access permissions", Errno.EACCES);
        def(WSAEFAULT, "WSAEFAULT", "The system detected an invalid pointer address", Errno.EFAULT);
        def(WSAEINVAL, "WSAEINVAL", "An invalid argument was supplied", Errno.EINVAL);
        def(WSAEMFILE, "WSAEMFILE", "Too many open sockets", Errno.EMFILE);
        def(WSAEWOULDBLOCK, "WSAEWOULDBLOCK", "A non-blocking socket operation could not be completed immediately", Errno.EAGAIN);
        def(WSAEINPROGRESS, "WSAEINPROGRESS", "A blocking operation is currently executing", Errno.EINPROGRESS);
        def(WSAEALREADY, "WSAEALREADY", "An operation was attempted on a non-blocking socket that already had an operation in progress", Errno.EALREADY);
        def(WSAENOTSOCK, "WSAENOTSOCK", "An operation was attempted on something that is not a socket", Errno.ENOTSOCK);
        def(WSAEDESTADDRREQ, "WSAEDESTADDRREQ", "A required address was omitted", Errno.EDESTADDRREQ);
        def(WSAEMSGSIZE, "WSAEMSGSIZE", "A message was larger than the buffer or an internal limit", Errno.EMSGSIZE);
        def(WSAEPROTOTYPE, "WSAEPROTOTYPE", "A protocol was specified that does not support the semantics of the socket type", Errno.EPROTOTYPE);
        def(WSAENOPROTOOPT, "WSAENOPROTOOPT", "An unknown, invalid, or unsupported option or level was specified", Errno.ENOPROTOOPT);
        def(WSAEPROTONOSUPPORT, "WSAEPROTONOSUPPORT", "The requested protocol has not been configured", Errno.EPROTONOSUPPORT);
        def(WSAESOCKTNOSUPPORT, "WSAESOCKTNOSUPPORT", "The socket type is not supported in this address family", Errno.EPROTONOSUPPORT);
        def(WSAEOPNOTSUPP, "WSAEOPNOTSUPP", "The attempted operation is not supported for the type of object referenced", Errno.EOPNOTSUPP);
        def(WSAEAFNOSUPPORT, "WSAEAFNOSUPPORT", "An address incompatible with the requested protocol was used", Errno.EAFNOSUPPORT);
        def(WSAEPFNOSUPPORT, "WSAEPFNOSUPPORT", "The protocol family has not been configured", Errno.EAFNOSUPPORT);
        def(WSAEADDRINUSE, "WSAEADDRINUSE", "Only one usage of each socket address is normally permitted", Errno.EADDRINUSE);
        def(WSAEADDRNOTAVAIL, "WSAEADDRNOTAVAIL", "The requested address is not valid in its context", Errno.EADDRNOTAVAIL);
        def(WSAENETDOWN, "WSAENETDOWN", "A socket operation encountered a dead network", Errno.ENETDOWN);
        def(WSAENETUNREACH, "WSAENETUNREACH", "A socket operation was attempted to an unreachable network", Errno.ENETUNREACH);
        def(WSAECONNABORTED, "WSAECONNABORTED", "An established connection was aborted by the software in your host machine", Errno.ECONNABORTED);
        def(WSAECONNRESET, "WSAECONNRESET", "An existing connection was forcibly closed by the remote host", Errno.ECONNRESET);
        def(WSAENETRESET, "WSAENETRESET", "The connection has been broken due to keep-alive activity", Errno.ECONNRESET);
        def(WSAENOBUFS, "WSAENOBUFS", "No buffer space available", Errno.ENOBUFS);
        def(WSAEISCONN, "WSAEISCONN", "A connect request was made on an already connected socket", Errno.EISCONN);
        def(WSAENOTCONN, "WSAENOTCONN", "The socket is not connected", Errno.ENOTCONN);
        def(WSAESHUTDOWN, "WSAESHUTDOWN", "The socket had already been shut down in that direction", Errno.EPIPE);
        def(WSAETIMEDOUT, "WSAETIMEDOUT", "The connected party did not properly respond after a period of time", Errno.ETIMEDOUT);
        def(WSAECONNREFUSED, "WSAECONNREFUSED", "No connection could be made because the target machine actively refused it", Errno.ECONNREFUSED);
        def(WSAEHOSTDOWN, "WSAEHOSTDOWN", "A socket operation failed because the destination host was down", Errno.EHOSTDOWN);
        def(WSAEHOSTUNREACH, "WSAEHOSTUNREACH", "A socket operation was attempted to an unreachable host", Errno.EHOSTUNREACH);
        def(WSANOTINITIALISED, "WSANOTINITIALISED", "WSAStartup has not been called", Errno.EINVAL);
        def(WSAEDISCON, "WSAEDISCON", "The remote party has initiated a graceful shutdown", Errno.EPIPE);

        def(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND", "The system cannot find the file specified", Errno.ENOENT);
        def(ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND", "The system cannot find the path specified", Errno.ENOENT);
        def(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED", "Access is denied", Errno.EACCES);
        def(ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE", "The handle is invalid", Errno.EBADF);
        def(ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY", "Not enough memory resources are available", Errno.ENOMEM);
        def(ERROR_HANDLE_EOF, "ERROR_HANDLE_EOF", "Reached the end of the file", 0);
        def(ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED", "The request is not supported", Errno.EOPNOTSUPP);
        def(ERROR_NETNAME_DELETED, "ERROR_NETNAME_DELETED", "The specified network name is no longer available", Errno.ECONNRESET);
        def(ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER", "The parameter is incorrect", Errno.EINVAL);
        def(ERROR_BROKEN_PIPE, "ERROR_BROKEN_PIPE", "The pipe has been ended", Errno.EPIPE);
        def(ERROR_SEM_TIMEOUT, "ERROR_SEM_TIMEOUT", "The semaphore timeout period has expired", Errno.ETIMEDOUT);
        def(ERROR_NO_DATA, "ERROR_NO_DATA", "The pipe is being closed", Errno.EPIPE);
        def(ERROR_MORE_DATA, "ERROR_MORE_DATA", "More data is available", Errno.EMSGSIZE);
        def(ERROR_PIPE_CONNECTED, "ERROR_PIPE_CONNECTED", "There is a process on other end of the pipe", Errno.EISCONN);
        def(ERROR_OPERATION_ABORTED, "ERROR_OPERATION_ABORTED",
                "The I/O operation has been aborted because of either a thread exit or an application request", Errno.ECANCELED);
        def(WSAECANCELLED, "WSAECANCELLED", "The call has been canceled", Errno.ECANCELED);
        def(ERROR_IO_INCOMPLETE, "ERROR_IO_INCOMPLETE", "Overlapped I/O event is not in a signaled state", Errno.EINPROGRESS);
        def(ERROR_IO_PENDING, "ERROR_IO_PENDING", "Overlapped I/O operation is in progress", Errno.EINPROGRESS);
        def(ERROR_NOT_FOUND, "ERROR_NOT_FOUND", "Element not found", Errno.ENOENT);
        def(ERROR_CONNECTION_REFUSED, "ERROR_CONNECTION_REFUSED", "The remote computer refused the network connection", Errno.ECONNREFUSED);
        def(ERROR_GRACEFUL_DISCONNECT, "ERROR_GRACEFUL_DISCONNECT", "The network connection was gracefully closed", Errno.EPIPE);
        def(ERROR_CONNECTION_INVALID, "ERROR_CONNECTION_INVALID", "An operation was attempted on a nonexistent network connection", Errno.ENOTCONN);
        def(ERROR_NETWORK_UNREACHABLE, "ERROR_NETWORK_UNREACHABLE", "The network location cannot be reached", Errno.ENETUNREACH);
        def(ERROR_HOST_UNREACHABLE, "ERROR_HOST_UNREACHABLE", "The network location cannot be reached", Errno.EHOSTUNREACH);
        def(ERROR_PORT_UNREACHABLE, "ERROR_PORT_UNREACHABLE", "No service is operating at the destination network endpoint on the remote system", Errno.ECONNREFUSED);
        def(ERROR_CONNECTION_ABORTED, "ERROR_CONNECTION_ABORTED", "The network connection was aborted by the local system", Errno.ECONNABORTED);
        def(ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES", "Insufficient system resources exist to complete the requested service", Errno.ENOBUFS);
    }

    private static void def(int code, String name, String text, int errno) {
        Entry e = new Entry(code, name, text, errno);
        BY_CODE.put(code, e);
        CANONICAL.putIfAbsent(errno, e);
    }

    private WinError() {
    }

    /**
     * The Linux errno with the same meaning (positive), 0 for an end-of-file code, or EIO for a code not in
     * the table (whose number then only appears in logs: drivers log unknown codes).
     */
    public static int toErrno(int code) {
        Entry e = BY_CODE.get(code);
        return e != null ? e.errno : Errno.EIO;
    }

    public static boolean isKnown(int code) {
        return BY_CODE.containsKey(code);
    }

    /** "WSAECONNRESET", or "Win32 error 1234" for a code not in the table. */
    public static String name(int code) {
        Entry e = BY_CODE.get(code);
        return e != null ? e.name : "Win32 error " + code;
    }

    /** "WSAECONNRESET 10054: An existing connection was forcibly closed by the remote host". */
    public static String describe(int code) {
        Entry e = BY_CODE.get(code);
        return e != null ? e.name + " " + code + ": " + e.text : "Win32 error " + code;
    }

    /** The Windows code that usually stands behind {@code errno} (Winsock's where there is one), or 0. */
    public static int canonicalCode(int errno) {
        Entry e = CANONICAL.get(Math.abs(errno));
        return e != null ? e.code : 0;
    }
}
