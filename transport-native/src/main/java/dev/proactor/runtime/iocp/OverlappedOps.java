package dev.proactor.runtime.iocp;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.WinError;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.proactor.runtime.linux.LinuxConstants.POLLERR;
import static dev.proactor.runtime.linux.LinuxConstants.POLLHUP;
import static dev.proactor.runtime.linux.LinuxConstants.POLLIN;
import static dev.proactor.runtime.linux.LinuxConstants.POLLNVAL;
import static dev.proactor.runtime.linux.LinuxConstants.POLLOUT;
import static dev.proactor.runtime.linux.LinuxConstants.POLLPRI;
import static dev.proactor.runtime.linux.LinuxConstants.POLLRDHUP;

/**
 * How each op becomes Windows calls: {@link #issue} starts it (an overlapped call on the slot's OVERLAPPED,
 * or a synchronous one), {@link #finish} turns its outcome into the op's result (a Linux errno when
 * negative) and does the follow-up calls a success needs (SO_UPDATE_ACCEPT_CONTEXT, SO_UPDATE_CONNECT_CONTEXT,
 * addresses). The same {@code finish} serves calls that completed at once and packets dequeued later.
 *
 * <p>Mappings and their limits: RECV/SEND with MSG_DONTWAIT are plain non-blocking recv/send (the sockets are
 * FIONBIO), other Linux MSG_ flags map to their Winsock equals or are dropped (MSG_NOSIGNAL: Windows has no
 * SIGPIPE). RECVMSG/SENDMSG take the runtime's Linux-layout msghdr and use WSARecvFrom/WSASendTo (without an
 * OVERLAPPED when MSG_DONTWAIT asks to try once): no control data (SENDMSG with control data fails with
 * EOPNOTSUPP; RECVMSG returns msg_controllen 0). CONNECT of a UDP socket is a plain connect. READ/WRITE use
 * the OVERLAPPED offset; NO_OFFSET reads at 0 and writes at the end (right for pipes and sockets, which ignore
 * offsets; a file opened for overlapped I/O has no current position). POLL asks WSAPoll first; if nothing is
 * ready it waits with a zero-byte MSG_PEEK WSARecv for POLLIN/POLLRDHUP and otherwise re-asks WSAPoll every
 * millisecond ({@link #RECHECK}); Windows reports a peer's FIN as POLLHUP, given here as POLLIN|POLLRDHUP as
 * Linux does. SPLICE goes from a file (fdIn, at offsetIn) straight to a socket (fdOut) with TransmitFile.
 */
final class OverlappedOps {
    private static final System.Logger LOG = System.getLogger(OverlappedOps.class.getName());

    /** issue: the call is pending; its packet will come. */
    static final int PENDING = Integer.MIN_VALUE;
    /** issue/finish of POLL: nothing ready; ask WSAPoll again a little later. */
    static final int RECHECK = Integer.MIN_VALUE + 1;

    private static final int MSG_OOB = 0x1;
    private static final int MSG_PEEK = 0x2;
    private static final int MSG_DONTROUTE = 0x4;
    private static final int MSG_TRUNC = 0x20;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_WAITALL = 0x100;
    /** TransmitFile's largest byte count. */
    static final int MAX_TRANSMIT = Integer.MAX_VALUE - 1;

    // struct msghdr on 64-bit Linux: the runtime's format for RECVMSG/SENDMSG on every system
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;

    private static final Set<Integer> UNKNOWN_LOGGED = ConcurrentHashMap.newKeySet();

    private final OverlappedMemory memory;
    private final PortAssociations associations;
    private final WinsockExtensions extensions;
    private final CallerMemory caller = new CallerMemory();
    private final byte[] addressCopy = new byte[OverlappedMemory.ACCEPT_ADDRESS_LENGTH];
    /** By slot: the socket AcceptEx accepts into (0: none), and the listener's address family. */
    private int[] acceptSocket;
    private int[] acceptFamily;

    OverlappedOps(OverlappedMemory memory, PortAssociations associations, WinsockExtensions extensions, int slots) {
        this.memory = memory;
        this.associations = associations;
        this.extensions = extensions;
        this.acceptSocket = new int[slots];
        this.acceptFamily = new int[slots];
    }

    void ensureSlots(int capacity) {
        if (capacity > acceptSocket.length) {
            acceptSocket = Arrays.copyOf(acceptSocket, capacity);
            acceptFamily = Arrays.copyOf(acceptFamily, capacity);
        }
    }

    /** The errno for a Win32/Winsock error: the same meaning as on Linux (ERROR_OPERATION_ABORTED: ECANCELED). */
    static int errno(int winError) {
        if (!WinError.isKnown(winError) && UNKNOWN_LOGGED.add(winError)) {
            LOG.log(System.Logger.Level.WARNING, "Windows error " + winError + " has no errno mapping; reported as EIO");
        }
        return WinError.toErrno(winError);
    }

    private static int fail(int winError) {
        return -errno(winError);
    }

    private static int winFlags(int linuxFlags) {
        int f = linuxFlags & (MSG_OOB | MSG_PEEK | MSG_DONTROUTE);
        if ((linuxFlags & MSG_WAITALL) != 0) {
            f |= Ws2_32.MSG_WAITALL;
        }
        return f;
    }

    // ---------------------------------------------------------------- start

    /** ACCEPT, once per submission: the listener's family, for the sockets AcceptEx accepts into. 0 or -errno. */
    int beginAccept(Op op, int slot) {
        long base = memory.address(slot);
        memory.putInt(slot, OverlappedMemory.SCRATCH, OverlappedMemory.ACCEPT_ADDRESS_LENGTH);
        if (Ws2_32.getsockname(op.fd(), base + OverlappedMemory.ADDRESSES, base + OverlappedMemory.SCRATCH) != 0) {
            return fail(Ws2_32.lastError());
        }
        acceptFamily[slot] = memory.getShort(slot, OverlappedMemory.ADDRESSES) & 0xffff;
        acceptSocket[slot] = 0;
        return 0;
    }

    /** Starts {@code op}: {@link #PENDING}, {@link #RECHECK}, or its result. */
    int issue(Op op, int slot) {
        switch (op.code()) {
            case ACCEPT:
                return accept(op, slot);
            case CONNECT:
                return connect(op, slot);
            case RECV:
                return recv(op, slot);
            case SEND:
                return send(op, slot);
            case SENDV:
                return sendv(op, slot);
            case RECVMSG:
                return recvmsg(op, slot);
            case SENDMSG:
                return sendmsg(op, slot);
            case READ:
            case WRITE:
                return file(op, slot);
            case POLL:
                return poll(op, slot);
            case SPLICE:
                return transmitFile(op, slot);
            default:
                throw new IllegalArgumentException("not an overlapped op: " + op);
        }
    }

    /** What a call that returned {@code ok} (success now) or not (pending, or failed now) means. */
    private int outcome(Op op, int slot, boolean ok, int association) {
        if (ok) {
            return association == PortAssociations.PACKET_ON_SUCCESS ? PENDING : finish(op, slot, 0, memory.transferred(slot));
        }
        int e = Ws2_32.lastError();
        return e == WinError.ERROR_IO_PENDING ? PENDING : finish(op, slot, e, memory.transferred(slot));
    }

    private int accept(Op op, int slot) {
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long s = Ws2_32.WSASocketW(acceptFamily[slot], Ws2_32.SOCK_STREAM, 0, 0, 0,
                Ws2_32.WSA_FLAG_OVERLAPPED | Ws2_32.WSA_FLAG_NO_HANDLE_INHERIT);
        if (s == Ws2_32.INVALID_SOCKET) {
            return fail(Ws2_32.lastError());
        }
        memory.putInt(slot, OverlappedMemory.SCRATCH, 1);
        if (Ws2_32.ioctlsocket(s, Ws2_32.FIONBIO, memory.address(slot) + OverlappedMemory.SCRATCH) != 0) {
            int e = Ws2_32.lastError();
            Ws2_32.closesocket(s);
            return fail(e);
        }
        acceptSocket[slot] = (int) s;
        long base = memory.address(slot);
        long overlapped = memory.resetOverlapped(slot, 0);
        boolean ok = extensions.acceptEx(op.fd(), s, base + OverlappedMemory.ADDRESSES, OverlappedMemory.ACCEPT_ADDRESS_LENGTH,
                base + OverlappedMemory.TRANSFERRED, overlapped) != 0;
        return outcome(op, slot, ok, association);
    }

    private int connect(Op op, int slot) {
        if (socketType(op.fd(), slot) == Ws2_32.SOCK_DGRAM) {
            return connectDatagram(op);
        }
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        // ConnectEx needs a bound socket: bind to the wildcard address of the target's family unless already bound.
        int family = caller.getShort(op.address()) & 0xffff;
        memory.zero(slot, OverlappedMemory.ADDRESSES, 32);
        memory.putShort(slot, OverlappedMemory.ADDRESSES, (short) family);
        long base = memory.address(slot);
        if (Ws2_32.bind(op.fd(), base + OverlappedMemory.ADDRESSES, family == Ws2_32.AF_INET6 ? 28 : 16) != 0) {
            int e = Ws2_32.lastError();
            if (e != WinError.WSAEINVAL) { // WSAEINVAL: bound already
                return fail(e);
            }
        }
        long overlapped = memory.resetOverlapped(slot, 0);
        boolean ok = extensions.connectEx(op.fd(), op.address(), op.length(), base + OverlappedMemory.TRANSFERRED, overlapped) != 0;
        return outcome(op, slot, ok, association);
    }

    private int socketType(int socket, int slot) {
        long base = memory.address(slot);
        memory.putLong(slot, OverlappedMemory.SCRATCH, 0L);
        memory.putInt(slot, OverlappedMemory.TRANSFERRED, 4);
        return Ws2_32.getsockopt(socket, Ws2_32.SOL_SOCKET, Ws2_32.SO_TYPE, base + OverlappedMemory.SCRATCH,
                base + OverlappedMemory.TRANSFERRED) == 0 ? memory.getInt(slot, OverlappedMemory.SCRATCH) : -1;
    }

    /**
     * ConnectEx is for stream sockets only: a UDP socket's connect just sets its peer and never blocks. A connected
     * UDP socket reports ICMP port-unreachable (WSAECONNRESET on its next call), as Linux reports ECONNREFUSED.
     */
    private int connectDatagram(Op op) {
        if (Ws2_32.connect(op.fd(), op.address(), op.length()) != 0) {
            return fail(Ws2_32.lastError());
        }
        Ws2_32.udpConnectionResets(op.fd(), true);
        return 0;
    }

    private int recv(Op op, int slot) {
        return recvInto(op, slot, op.address(), op.length());
    }

    /** RECV, or RECV_PROVIDED into the buffer the driver lent it. */
    int recvInto(Op op, int slot, long address, int length) {
        if ((op.flags() & MSG_DONTWAIT) != 0) {
            int r = Ws2_32.recv(op.fd(), address, length, winFlags(op.flags()));
            return r >= 0 ? r : fail(Ws2_32.lastError());
        }
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long base = memory.address(slot);
        long overlapped = memory.resetOverlapped(slot, 0);
        long wsabuf = memory.wsabuf(slot, address, length);
        memory.putInt(slot, OverlappedMemory.FLAGS, winFlags(op.flags()));
        boolean ok = Ws2_32.WSARecv(op.fd(), wsabuf, 1, base + OverlappedMemory.TRANSFERRED, base + OverlappedMemory.FLAGS,
                overlapped, 0) == 0;
        return outcome(op, slot, ok, association);
    }

    private int send(Op op, int slot) {
        if ((op.flags() & MSG_DONTWAIT) != 0) {
            int r = Ws2_32.send(op.fd(), op.address(), op.length(), winFlags(op.flags()));
            return r >= 0 ? r : fail(Ws2_32.lastError());
        }
        return wsaSend(op, slot, memory.wsabuf(slot, op.address(), op.length()), 1);
    }

    private int sendv(Op op, int slot) {
        long wsabufs = memory.wsabufs(slot, op.address(), op.length(), caller);
        return wsabufs == 0 ? -Errno.EINVAL : wsaSend(op, slot, wsabufs, op.length());
    }

    private int wsaSend(Op op, int slot, long wsabufs, int count) {
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long overlapped = memory.resetOverlapped(slot, 0);
        boolean ok = Ws2_32.WSASend(op.fd(), wsabufs, count, memory.address(slot) + OverlappedMemory.TRANSFERRED,
                winFlags(op.flags()), overlapped, 0) == 0;
        return outcome(op, slot, ok, association);
    }

    private int recvmsg(Op op, int slot) {
        long msg = op.address();
        int count = (int) caller.getLong(msg + MSG_IOVLEN);
        long wsabufs = memory.wsabufs(slot, caller.getLong(msg + MSG_IOV), count, caller);
        if (wsabufs == 0) {
            return -Errno.EINVAL;
        }
        boolean dontWait = (op.flags() & MSG_DONTWAIT) != 0;
        int association = dontWait ? 0 : associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long name = caller.getLong(msg + MSG_NAME);
        long base = memory.address(slot);
        memory.putInt(slot, OverlappedMemory.SCRATCH, caller.getInt(msg + MSG_NAMELEN));
        memory.putInt(slot, OverlappedMemory.FLAGS, winFlags(op.flags()));
        // MSG_DONTWAIT: a call without an OVERLAPPED on the FIONBIO socket tries once (WSAEWOULDBLOCK: -EAGAIN).
        long overlapped = dontWait ? 0 : memory.resetOverlapped(slot, 0);
        memory.putInt(slot, OverlappedMemory.TRANSFERRED, 0);
        boolean ok = Ws2_32.WSARecvFrom(op.fd(), wsabufs, count, base + OverlappedMemory.TRANSFERRED,
                base + OverlappedMemory.FLAGS, name, name != 0 ? base + OverlappedMemory.SCRATCH : 0, overlapped, 0) == 0;
        return dontWait ? tried(op, slot, ok) : outcome(op, slot, ok, association);
    }

    /** The result of a call made without an OVERLAPPED: it is over, whatever it returned. */
    private int tried(Op op, int slot, boolean ok) {
        int e = ok ? 0 : Ws2_32.lastError();
        return finish(op, slot, e, memory.transferred(slot));
    }

    private int sendmsg(Op op, int slot) {
        long msg = op.address();
        if (caller.getLong(msg + MSG_CONTROL) != 0 && caller.getLong(msg + MSG_CONTROLLEN) != 0) {
            return -Errno.EOPNOTSUPP; // no ancillary data on Windows (UDP_SEGMENT, IP_PKTINFO ... are Linux's)
        }
        int count = (int) caller.getLong(msg + MSG_IOVLEN);
        long wsabufs = memory.wsabufs(slot, caller.getLong(msg + MSG_IOV), count, caller);
        if (wsabufs == 0) {
            return -Errno.EINVAL;
        }
        long name = caller.getLong(msg + MSG_NAME);
        boolean dontWait = (op.flags() & MSG_DONTWAIT) != 0;
        if (name == 0 && !dontWait) {
            return wsaSend(op, slot, wsabufs, count);
        }
        int association = dontWait ? 0 : associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long overlapped = dontWait ? 0 : memory.resetOverlapped(slot, 0);
        memory.putInt(slot, OverlappedMemory.TRANSFERRED, 0);
        boolean ok = Ws2_32.WSASendTo(op.fd(), wsabufs, count, memory.address(slot) + OverlappedMemory.TRANSFERRED,
                winFlags(op.flags()), name, name != 0 ? caller.getInt(msg + MSG_NAMELEN) : 0, overlapped, 0) == 0;
        return dontWait ? tried(op, slot, ok) : outcome(op, slot, ok, association);
    }

    /**
     * SPLICE from a file to a socket: TransmitFile (reached through WSAIoctl) sends up to {@code length} bytes of
     * the file from {@code offsetIn}, without a pipe and without a copy through user space. The byte count is
     * capped at TransmitFile's limit (2^31 - 2); a result short of the length means the file ended.
     */
    private int transmitFile(Op op, int slot) {
        if (op.offset() < 0 || op.offset2() != Op.NO_OFFSET) {
            return -Errno.EINVAL; // Windows needs the file offset; a socket has none
        }
        if (op.length() == 0) {
            return 0; // TransmitFile would send the whole file
        }
        int socket = op.fd2();
        int association = associations.associate(socket);
        if (association < 0) {
            return fail(-association);
        }
        int length = Math.min(op.length(), MAX_TRANSMIT);
        long overlapped = memory.resetOverlapped(slot, op.offset());
        boolean ok = extensions.transmitFile(socket, op.fd(), length, overlapped) != 0;
        if (ok) {
            // TransmitFile has no count argument: a call done at once leaves its count in OVERLAPPED.InternalHigh.
            memory.putInt(slot, OverlappedMemory.TRANSFERRED, (int) memory.getLong(slot, OverlappedMemory.OVERLAPPED + 8));
        }
        return outcome(op, slot, ok, association);
    }

    /** The handle an op's overlapped call runs on (what CancelIoEx must name): the socket of a SPLICE. */
    static int ioHandle(Op op) {
        return op.code() == dev.proactor.runtime.OpCode.SPLICE ? op.fd2() : op.fd();
    }

    private int file(Op op, int slot) {
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        boolean read = op.code() == dev.proactor.runtime.OpCode.READ;
        long offset = op.offset() != Op.NO_OFFSET ? op.offset() : read ? 0L : -1L; // -1: FILE_WRITE_TO_END_OF_FILE
        long overlapped = memory.resetOverlapped(slot, offset);
        long transferred = memory.address(slot) + OverlappedMemory.TRANSFERRED;
        boolean ok = read ? Kernel32.ReadFile(op.fd(), op.address(), op.length(), transferred, overlapped) != 0
                : Kernel32.WriteFile(op.fd(), op.address(), op.length(), transferred, overlapped) != 0;
        return outcome(op, slot, ok, association);
    }

    private int poll(Op op, int slot) {
        int now = pollNow(op, slot);
        if (now != 0) {
            return now;
        }
        if ((op.flags() & (POLLIN | POLLPRI | POLLRDHUP)) == 0 || isListening(op.fd(), slot)) {
            return RECHECK; // POLLOUT, or a listener: no overlapped call signals these
        }
        int association = associations.associate(op.fd());
        if (association < 0) {
            return fail(-association);
        }
        long base = memory.address(slot);
        long overlapped = memory.resetOverlapped(slot, 0);
        long wsabuf = memory.wsabuf(slot, 0, 0);
        memory.putInt(slot, OverlappedMemory.FLAGS, Ws2_32.MSG_PEEK);
        boolean ok = Ws2_32.WSARecv(op.fd(), wsabuf, 1, base + OverlappedMemory.TRANSFERRED, base + OverlappedMemory.FLAGS,
                overlapped, 0) == 0;
        if (ok) {
            return association == PortAssociations.PACKET_ON_SUCCESS ? PENDING : pollFinished(op, slot, 0);
        }
        int e = Ws2_32.lastError();
        // No zero-byte receive on this socket (a listener ...): ask WSAPoll again later instead.
        return e == WinError.ERROR_IO_PENDING ? PENDING : RECHECK;
    }

    private boolean isListening(int socket, int slot) {
        long base = memory.address(slot);
        memory.putLong(slot, OverlappedMemory.SCRATCH, 0L);
        memory.putInt(slot, OverlappedMemory.TRANSFERRED, 4);
        return Ws2_32.getsockopt(socket, Ws2_32.SOL_SOCKET, 0x0002 /* SO_ACCEPTCONN */, base + OverlappedMemory.SCRATCH,
                base + OverlappedMemory.TRANSFERRED) == 0 && memory.getInt(slot, OverlappedMemory.SCRATCH) != 0;
    }

    /** POLL: the requested events ready now (with POLLERR/POLLHUP/POLLNVAL), 0 if none, or -errno. */
    int pollNow(Op op, int slot) {
        int events = op.flags();
        short want = 0;
        if ((events & (POLLIN | POLLPRI | POLLRDHUP)) != 0) {
            want |= Ws2_32.POLLRDNORM;
        }
        if ((events & POLLOUT) != 0) {
            want |= Ws2_32.POLLWRNORM;
        }
        // WSAPOLLFD { SOCKET fd; SHORT events; SHORT revents; }
        memory.putLong(slot, OverlappedMemory.ADDRESSES, op.fd());
        memory.putShort(slot, OverlappedMemory.ADDRESSES + 8, want);
        memory.putShort(slot, OverlappedMemory.ADDRESSES + 10, (short) 0);
        int r = Ws2_32.WSAPoll(memory.address(slot) + OverlappedMemory.ADDRESSES, 1, 0);
        if (r < 0) {
            return fail(Ws2_32.lastError());
        }
        if (r == 0) {
            return 0;
        }
        int revents = memory.getShort(slot, OverlappedMemory.ADDRESSES + 10);
        int mask = 0;
        if ((revents & (Ws2_32.POLLRDNORM | Ws2_32.POLLRDBAND)) != 0) {
            mask |= POLLIN;
        }
        if ((revents & Ws2_32.POLLWRNORM) != 0) {
            mask |= POLLOUT;
        }
        if ((revents & Ws2_32.POLLHUP) != 0) {
            mask |= POLLIN | POLLRDHUP; // the peer's FIN: readable (EOF), as Linux reports it
        }
        if ((revents & Ws2_32.POLLERR) != 0) {
            mask |= POLLERR;
        }
        if ((revents & Ws2_32.POLLNVAL) != 0) {
            mask |= POLLNVAL;
        }
        return mask & (events | POLLERR | POLLHUP | POLLNVAL);
    }

    private int pollFinished(Op op, int slot, int error) {
        if (error == WinError.ERROR_OPERATION_ABORTED) {
            return -Errno.ECANCELED;
        }
        if (error != 0) {
            return POLLERR | POLLHUP; // reset or aborted connection
        }
        int now = pollNow(op, slot);
        return now != 0 ? now : RECHECK;
    }

    int shutdown(Op op) {
        return Ws2_32.shutdown(op.fd(), op.flags()) == 0 ? 0 : fail(Ws2_32.lastError());
    }

    /**
     * closesocket, or CloseHandle for a file or pipe. Every call still pending on the handle is cancelled first
     * (it completes with -ECANCELED): Windows does that when a socket closes, Wine does not always.
     */
    int close(Op op) {
        int handle = op.fd();
        associations.closing(handle);
        Kernel32.CancelIoEx(handle, 0);
        if (Ws2_32.closesocket(handle) == 0) {
            return 0;
        }
        int e = Ws2_32.lastError();
        if (e == WinError.WSAENOTSOCK) {
            if (Kernel32.CloseHandle(handle) != 0) {
                return 0;
            }
            e = Kernel32.lastError();
        }
        return fail(e);
    }

    // ---------------------------------------------------------------- finish

    /** The result of a call that ended with {@code error} (0: success) and {@code bytes} transferred. */
    int finish(Op op, int slot, int error, int bytes) {
        switch (op.code()) {
            case ACCEPT:
                return acceptFinished(op, slot, error);
            case CONNECT:
                if (error != 0) {
                    return fail(error);
                }
                return Ws2_32.setsockopt(op.fd(), Ws2_32.SOL_SOCKET, Ws2_32.SO_UPDATE_CONNECT_CONTEXT, 0, 0) == 0
                        ? 0 : fail(Ws2_32.lastError());
            case RECV:
            case RECV_PROVIDED:
                return error == 0 ? bytes : fail(error);
            case READ:
                if (error == WinError.ERROR_HANDLE_EOF || error == WinError.ERROR_BROKEN_PIPE) {
                    return 0; // end of file; a pipe whose writer is gone
                }
                return error == 0 ? bytes : fail(error);
            case RECVMSG:
                return recvmsgFinished(op, slot, error, bytes);
            case POLL:
                return pollFinished(op, slot, error);
            default:
                return error == 0 ? bytes : fail(error);
        }
    }

    private int acceptFinished(Op op, int slot, int error) {
        int s = acceptSocket[slot];
        acceptSocket[slot] = 0;
        if (error != 0) {
            Ws2_32.closesocket(s);
            return fail(error);
        }
        memory.putLong(slot, OverlappedMemory.SCRATCH, op.fd());
        long base = memory.address(slot);
        if (Ws2_32.setsockopt(s, Ws2_32.SOL_SOCKET, Ws2_32.SO_UPDATE_ACCEPT_CONTEXT, base + OverlappedMemory.SCRATCH, 8) != 0) {
            int e = Ws2_32.lastError();
            Ws2_32.closesocket(s);
            return fail(e);
        }
        if (op.address() != 0 && op.address2() != 0) {
            extensions.getAcceptExSockaddrs(base + OverlappedMemory.ADDRESSES, OverlappedMemory.ACCEPT_ADDRESS_LENGTH,
                    base + OverlappedMemory.SOCKADDRS);
            long remote = memory.getLong(slot, OverlappedMemory.SOCKADDRS + 16);
            int remoteLength = memory.getInt(slot, OverlappedMemory.SOCKADDRS + 24);
            int room = caller.getInt(op.address2());
            int n = Math.max(0, Math.min(Math.min(room, remoteLength), addressCopy.length));
            if (remote != 0 && n > 0) {
                caller.read(remote, addressCopy, n);
                caller.write(op.address(), addressCopy, n);
            }
            caller.putInt(op.address2(), remoteLength);
        }
        return s;
    }

    private int recvmsgFinished(Op op, int slot, int error, int bytes) {
        boolean truncated = error == WinError.ERROR_MORE_DATA || error == WinError.WSAEMSGSIZE;
        if (error != 0 && !truncated) {
            return fail(error);
        }
        long msg = op.address();
        if (truncated && bytes == 0) {
            bytes = iovLength(msg); // a call that failed at once reports no count, but the buffers are full
        }
        if (caller.getLong(msg + MSG_NAME) != 0) {
            caller.putInt(msg + MSG_NAMELEN, memory.getInt(slot, OverlappedMemory.SCRATCH));
        }
        caller.putLong(msg + MSG_CONTROLLEN, 0L);
        caller.putInt(msg + MSG_FLAGS, truncated ? MSG_TRUNC : 0);
        return bytes;
    }

    private int iovLength(long msg) {
        long iov = caller.getLong(msg + MSG_IOV);
        long count = caller.getLong(msg + MSG_IOVLEN);
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += caller.getLong(iov + 16L * i + 8);
        }
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    /** At driver close: what a finished op leaves behind that nobody will receive (an accepted socket). */
    void discard(Op op, int result) {
        if (op.code() == dev.proactor.runtime.OpCode.ACCEPT && result >= 0) {
            Ws2_32.closesocket(result);
        }
    }

    /** At driver close, for an ACCEPT whose AcceptEx never started or whose packet will not come. */
    int acceptSocket(int slot) {
        return slot < acceptSocket.length ? acceptSocket[slot] : 0;
    }
}
