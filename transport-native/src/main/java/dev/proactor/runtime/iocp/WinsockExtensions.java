package dev.proactor.runtime.iocp;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * AcceptEx, ConnectEx, GetAcceptExSockaddrs and TransmitFile: Winsock extensions reached through function pointers that
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) returns. Loaded once per process (the Microsoft TCP provider
 * serves IPv4 and IPv6 alike) and called through JNA's generic {@link Function#invokeInt}, which boxes its
 * arguments: acceptable for connection setup, which is not the per-byte path.
 */
final class WinsockExtensions {
    private static final long[] ACCEPT_EX = {0x11cfcbacb5367df1L, 0x92a1485f8000ca95L};
    private static final long[] CONNECT_EX = {0x4660ddf325a207b9L, 0x3e06748ce576e98eL};
    private static final long[] GET_ACCEPT_EX_SOCKADDRS = {0x11cfcbacb5367df2L, 0x92a1485f8000ca95L};
    private static final long[] TRANSMIT_FILE = {0x11cfcbacb5367df0L, 0x92a1485f8000ca95L};

    private static volatile WinsockExtensions instance;

    private final Function acceptEx;
    private final Function connectEx;
    private final Function getAcceptExSockaddrs;
    private final Function transmitFile;

    private WinsockExtensions(Function acceptEx, Function connectEx, Function getAcceptExSockaddrs, Function transmitFile) {
        this.acceptEx = acceptEx;
        this.connectEx = connectEx;
        this.getAcceptExSockaddrs = getAcceptExSockaddrs;
        this.transmitFile = transmitFile;
    }

    static WinsockExtensions get() throws IOException {
        WinsockExtensions e = instance;
        if (e == null) {
            synchronized (WinsockExtensions.class) {
                e = instance;
                if (e == null) {
                    e = load();
                    instance = e;
                }
            }
        }
        return e;
    }

    private static WinsockExtensions load() throws IOException {
        long s = Ws2_32.WSASocketW(Ws2_32.AF_INET, Ws2_32.SOCK_STREAM, 0, 0, 0, Ws2_32.WSA_FLAG_OVERLAPPED);
        if (s == Ws2_32.INVALID_SOCKET) {
            throw ErrnoException.ofWindows("WSASocketW", Ws2_32.lastError());
        }
        try {
            NativeBuffer m = NativeBuffer.allocate(64);
            return new WinsockExtensions(function(s, m, ACCEPT_EX, "AcceptEx"), function(s, m, CONNECT_EX, "ConnectEx"),
                    function(s, m, GET_ACCEPT_EX_SOCKADDRS, "GetAcceptExSockaddrs"), function(s, m, TRANSMIT_FILE, "TransmitFile"));
        } finally {
            Ws2_32.closesocket(s);
        }
    }

    private static Function function(long socket, NativeBuffer m, long[] guid, String name) throws IOException {
        ByteBuffer b = m.buffer();
        b.putLong(0, guid[0]); // GUID { Data1, Data2, Data3 } little-endian, then Data4 bytes in order
        b.putLong(8, guid[1]);
        b.putLong(16, 0L);
        int r = Ws2_32.WSAIoctl(socket, Ws2_32.SIO_GET_EXTENSION_FUNCTION_POINTER, m.address(), 16, m.address() + 16, 8,
                m.address() + 24, 0, 0);
        long pointer = b.getLong(16);
        if (r != 0 || pointer == 0) {
            throw ErrnoException.ofWindows("WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER, " + name + ")",
                    r != 0 ? Ws2_32.lastError() : dev.proactor.runtime.WinError.WSAEOPNOTSUPP);
        }
        return Function.getFunction(new Pointer(pointer));
    }

    /** BOOL AcceptEx(listen, accept, buffer, 0, localLen, remoteLen, &received, overlapped): non-zero on success. */
    int acceptEx(long listen, long accept, long buffer, int addressLength, long received, long overlapped) {
        return acceptEx.invokeInt(new Object[] {listen, accept, buffer, 0, addressLength, addressLength, received, overlapped});
    }

    /** BOOL ConnectEx(socket, sockaddr, length, NULL, 0, &sent, overlapped). */
    int connectEx(long socket, long sockaddr, int length, long sent, long overlapped) {
        return connectEx.invokeInt(new Object[] {socket, sockaddr, length, 0L, 0, sent, overlapped});
    }

    /** GetAcceptExSockaddrs(buffer, 0, localLen, remoteLen, &local, &localLen, &remote, &remoteLen). */
    void getAcceptExSockaddrs(long buffer, int addressLength, long out) {
        getAcceptExSockaddrs.invokeVoid(new Object[] {buffer, 0, addressLength, addressLength, out, out + 8, out + 16, out + 24});
    }

    /** BOOL TransmitFile(socket, file, bytes, 0, overlapped, NULL, 0): the file offset is in the OVERLAPPED. */
    int transmitFile(long socket, long file, int bytes, long overlapped) {
        return transmitFile.invokeInt(new Object[] {socket, file, bytes, 0, overlapped, 0L, 0});
    }
}
