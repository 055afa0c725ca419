package dev.proactor.runtime;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows codes mean the errno a Linux driver would report, and messages keep the Windows name. Pure Java. */
class WinErrorTest {

    @Test
    void windowsCodesMapToTheLinuxErrnoOfTheSameMeaning() {
        assertEquals(Errno.ECONNRESET, WinError.toErrno(WinError.WSAECONNRESET));
        assertEquals(Errno.ECONNRESET, WinError.toErrno(WinError.ERROR_NETNAME_DELETED));
        assertEquals(Errno.ECONNREFUSED, WinError.toErrno(WinError.WSAECONNREFUSED));
        assertEquals(Errno.ECONNREFUSED, WinError.toErrno(WinError.ERROR_CONNECTION_REFUSED));
        assertEquals(Errno.EAGAIN, WinError.toErrno(WinError.WSAEWOULDBLOCK));
        assertEquals(Errno.ECANCELED, WinError.toErrno(WinError.ERROR_OPERATION_ABORTED));
        assertEquals(Errno.ECONNABORTED, WinError.toErrno(WinError.ERROR_CONNECTION_ABORTED));
        assertEquals(Errno.EADDRINUSE, WinError.toErrno(WinError.WSAEADDRINUSE));
        assertEquals(Errno.EBADF, WinError.toErrno(WinError.ERROR_INVALID_HANDLE));
        assertEquals(Errno.ETIMEDOUT, WinError.toErrno(WinError.WSAETIMEDOUT));
        assertEquals(Errno.EIO, WinError.toErrno(4242), "unknown codes");
    }

    @Test
    void namesAndDescriptions() {
        assertEquals("WSAECONNRESET", WinError.name(10054));
        assertTrue(WinError.describe(10054).startsWith("WSAECONNRESET 10054: An existing connection"), WinError.describe(10054));
        assertEquals("Win32 error 4242", WinError.name(4242));
        assertEquals(WinError.WSAECONNRESET, WinError.canonicalCode(Errno.ECONNRESET), "Winsock's code is the canonical one");
        assertEquals(WinError.WSAECONNREFUSED, WinError.canonicalCode(-Errno.ECONNREFUSED));
        assertEquals(WinError.ERROR_OPERATION_ABORTED, WinError.canonicalCode(Errno.ECANCELED));
    }

    @Test
    void exceptionsFromWindowsCodesNameBothAndKeepTheErrno() {
        IOException e = ErrnoException.ofWindows("connect", WinError.ERROR_CONNECTION_REFUSED);
        assertInstanceOf(ConnectException.class, e);
        assertEquals(Errno.ECONNREFUSED, ((NativeError) e).code());
        assertEquals("ECONNREFUSED", ((NativeError) e).codeName());
        assertEquals("connect: ECONNREFUSED (ERROR_CONNECTION_REFUSED 1225: The remote computer refused the network connection)",
                e.getMessage());
        IOException r = ErrnoException.of("recv", -Errno.ECONNRESET, WinError.WSAECONNRESET);
        assertEquals("recv: ECONNRESET (WSAECONNRESET 10054: An existing connection was forcibly closed by the remote host)",
                r.getMessage());
    }
}
