package dev.proactor.runtime.net;

import dev.proactor.runtime.linux.LinuxConstants;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes {@code struct sockaddr}s: sockaddr_in, sockaddr_in6 and sockaddr_un (with the
 * abstract namespace: a path whose first character is NUL, or '@' as written by tools such as ss). The
 * layouts are the same on Linux and Windows; only AF_INET6's number differs ({@link #AF_INET6}).
 */
public final class SocketAddresses {
    /** sizeof(struct sockaddr_storage): enough for any address. */
    public static final int STORAGE_SIZE = 128;
    /** AF_INET6 on the running system: 10 on Linux, 23 on Windows. */
    public static final int AF_INET6 = SocketCalls.CURRENT.afInet6();
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_MAX = 108;

    private SocketAddresses() {
    }

    /**
     * Writes {@code address} at {@code offset} of {@code buf} (native order) and returns the sockaddr length.
     *
     * @param ipv6Socket encode an IPv4 address as IPv4-mapped IPv6 (for an AF_INET6 socket)
     * @throws IllegalArgumentException for an unresolved or unsupported address
     */
    public static int write(SocketAddress address, boolean ipv6Socket, ByteBuffer buf, int offset) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress isa = (InetSocketAddress) address;
            if (isa.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address: " + isa.getHostString()
                        + " (resolve it before connecting or binding)");
            }
            InetAddress ip = isa.getAddress();
            int port = isa.getPort();
            if (ip instanceof Inet4Address && !ipv6Socket) {
                buf.putShort(offset, (short) LinuxConstants.AF_INET);
                buf.putShort(offset + 2, Short.reverseBytes((short) port)); // network byte order
                byte[] a = ip.getAddress();
                for (int i = 0; i < 4; i++) {
                    buf.put(offset + 4 + i, a[i]);
                }
                buf.putLong(offset + 8, 0);
                return 16;
            }
            byte[] a6;
            int scope = 0;
            if (ip instanceof Inet6Address) {
                a6 = ip.getAddress();
                scope = ((Inet6Address) ip).getScopeId();
            } else {
                byte[] a4 = ip.getAddress();
                a6 = new byte[16];
                a6[10] = (byte) 0xff;
                a6[11] = (byte) 0xff;
                System.arraycopy(a4, 0, a6, 12, 4);
            }
            if (!ipv6Socket) {
                throw new IllegalArgumentException("IPv6 address " + ip + " on an IPv4 socket");
            }
            buf.putShort(offset, (short) AF_INET6);
            buf.putShort(offset + 2, Short.reverseBytes((short) port));
            buf.putInt(offset + 4, 0); // flowinfo
            for (int i = 0; i < 16; i++) {
                buf.put(offset + 8 + i, a6[i]);
            }
            buf.putInt(offset + 24, scope);
            return 28;
        }
        if (address instanceof UnixDomainSocketAddress) {
            return writeUnix(((UnixDomainSocketAddress) address).getPath().toString(), buf, offset);
        }
        if (address == null) {
            throw new IllegalArgumentException("address is null");
        }
        throw new IllegalArgumentException("unsupported address type " + address.getClass().getName() + ": " + address);
    }

    /** Writes a sockaddr_un; a path starting with NUL or '@' is in the abstract namespace. */
    public static int writeUnix(String path, ByteBuffer buf, int offset) {
        boolean abstractName = !path.isEmpty() && (path.charAt(0) == '\0' || path.charAt(0) == '@');
        byte[] bytes = (abstractName ? path.substring(1) : path).getBytes(StandardCharsets.UTF_8);
        int max = abstractName ? SUN_PATH_MAX - 1 : SUN_PATH_MAX - 1;
        if (bytes.length > max) {
            throw new IllegalArgumentException("unix socket path too long (" + bytes.length + " bytes, at most " + max + "): " + path);
        }
        buf.putShort(offset, (short) LinuxConstants.AF_UNIX);
        int p = offset + SUN_PATH_OFFSET;
        if (abstractName) {
            buf.put(p++, (byte) 0);
        }
        for (byte b : bytes) {
            buf.put(p++, b);
        }
        if (!abstractName) {
            buf.put(p++, (byte) 0);
        }
        return p - offset;
    }

    /** Decodes a sockaddr of {@code length} bytes at {@code offset}; null for an unnamed (empty) address. */
    public static SocketAddress read(ByteBuffer buf, int offset, int length) {
        if (length < 2) {
            return null;
        }
        int family = buf.getShort(offset) & 0xffff;
        try {
            if (family == LinuxConstants.AF_INET) {
                byte[] a = new byte[4];
                for (int i = 0; i < 4; i++) {
                    a[i] = buf.get(offset + 4 + i);
                }
                return new InetSocketAddress(InetAddress.getByAddress(a), port(buf, offset));
            }
            if (family == AF_INET6) {
                byte[] a = new byte[16];
                for (int i = 0; i < 16; i++) {
                    a[i] = buf.get(offset + 8 + i);
                }
                int scope = buf.getInt(offset + 24);
                InetAddress ip = isV4Mapped(a) ? InetAddress.getByAddress(java.util.Arrays.copyOfRange(a, 12, 16))
                        : scope != 0 ? Inet6Address.getByAddress(null, a, scope) : InetAddress.getByAddress(a);
                return new InetSocketAddress(ip, port(buf, offset));
            }
            if (family == LinuxConstants.AF_UNIX) {
                return UnixDomainSocketAddress.of(readUnixPath(buf, offset, length));
            }
            throw new IllegalArgumentException("unsupported address family " + family);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The path of a sockaddr_un; abstract names come back with a leading '@'. */
    public static String readUnixPath(ByteBuffer buf, int offset, int length) {
        int start = offset + SUN_PATH_OFFSET;
        int end = offset + Math.min(length, SUN_PATH_OFFSET + SUN_PATH_MAX);
        if (end <= start) {
            return "";
        }
        boolean abstractName = buf.get(start) == 0;
        int p = abstractName ? start + 1 : start;
        int stop = p;
        if (abstractName) {
            stop = end;
        } else {
            while (stop < end && buf.get(stop) != 0) {
                stop++;
            }
        }
        byte[] bytes = new byte[stop - p];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buf.get(p + i);
        }
        String s = new String(bytes, StandardCharsets.UTF_8);
        return abstractName ? "@" + s : s;
    }

    private static int port(ByteBuffer buf, int offset) {
        return Short.reverseBytes(buf.getShort(offset + 2)) & 0xffff;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
