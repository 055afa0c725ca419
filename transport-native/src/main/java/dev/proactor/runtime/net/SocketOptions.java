package dev.proactor.runtime.net;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * The socket options the runtime sets and reads, with their Linux levels and names. The JDK's
 * {@link StandardSocketOptions} are accepted too and mapped to these.
 */
public final class SocketOptions {
    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_UDP = 17;

    public static final NativeSocketOption<Boolean> SO_REUSEADDR = bool("SO_REUSEADDR", SOL_SOCKET, 2);
    public static final NativeSocketOption<Boolean> SO_REUSEPORT = bool("SO_REUSEPORT", SOL_SOCKET, 15);
    public static final NativeSocketOption<Boolean> SO_KEEPALIVE = bool("SO_KEEPALIVE", SOL_SOCKET, 9);
    public static final NativeSocketOption<Boolean> SO_BROADCAST = bool("SO_BROADCAST", SOL_SOCKET, 6);
    public static final NativeSocketOption<Integer> SO_SNDBUF = integer("SO_SNDBUF", SOL_SOCKET, 7);
    public static final NativeSocketOption<Integer> SO_RCVBUF = integer("SO_RCVBUF", SOL_SOCKET, 8);
    public static final NativeSocketOption<Integer> SO_ERROR = integer("SO_ERROR", SOL_SOCKET, 4);
    public static final NativeSocketOption<Integer> SO_TYPE = integer("SO_TYPE", SOL_SOCKET, 3);
    public static final NativeSocketOption<Integer> SO_RCVLOWAT = integer("SO_RCVLOWAT", SOL_SOCKET, 18);
    public static final NativeSocketOption<Boolean> SO_ACCEPTCONN = bool("SO_ACCEPTCONN", SOL_SOCKET, 30);
    /** Seconds; negative disables lingering. */
    public static final NativeSocketOption<Integer> SO_LINGER =
            new NativeSocketOption<>("SO_LINGER", Integer.class, SOL_SOCKET, 13, NativeSocketOption.Kind.LINGER);

    public static final NativeSocketOption<Boolean> TCP_NODELAY = bool("TCP_NODELAY", IPPROTO_TCP, 1);
    public static final NativeSocketOption<Integer> TCP_MAXSEG = integer("TCP_MAXSEG", IPPROTO_TCP, 2);
    public static final NativeSocketOption<Boolean> TCP_CORK = bool("TCP_CORK", IPPROTO_TCP, 3);
    public static final NativeSocketOption<Integer> TCP_KEEPIDLE = integer("TCP_KEEPIDLE", IPPROTO_TCP, 4);
    public static final NativeSocketOption<Integer> TCP_KEEPINTVL = integer("TCP_KEEPINTVL", IPPROTO_TCP, 5);
    public static final NativeSocketOption<Integer> TCP_KEEPCNT = integer("TCP_KEEPCNT", IPPROTO_TCP, 6);
    public static final NativeSocketOption<Integer> TCP_DEFER_ACCEPT = integer("TCP_DEFER_ACCEPT", IPPROTO_TCP, 9);
    public static final NativeSocketOption<Boolean> TCP_QUICKACK = bool("TCP_QUICKACK", IPPROTO_TCP, 12);
    public static final NativeSocketOption<Integer> TCP_USER_TIMEOUT = integer("TCP_USER_TIMEOUT", IPPROTO_TCP, 18);
    /** Server: the queue length for TCP Fast Open requests. */
    public static final NativeSocketOption<Integer> TCP_FASTOPEN = integer("TCP_FASTOPEN", IPPROTO_TCP, 23);
    public static final NativeSocketOption<Integer> TCP_NOTSENT_LOWAT = integer("TCP_NOTSENT_LOWAT", IPPROTO_TCP, 25);
    public static final NativeSocketOption<Boolean> TCP_FASTOPEN_CONNECT = bool("TCP_FASTOPEN_CONNECT", IPPROTO_TCP, 30);

    public static final NativeSocketOption<Integer> IP_TOS = integer("IP_TOS", IPPROTO_IP, 1);
    public static final NativeSocketOption<Integer> IP_TTL = integer("IP_TTL", IPPROTO_IP, 2);
    public static final NativeSocketOption<Boolean> IP_FREEBIND = bool("IP_FREEBIND", IPPROTO_IP, 15);
    public static final NativeSocketOption<Boolean> IP_TRANSPARENT = bool("IP_TRANSPARENT", IPPROTO_IP, 19);
    public static final NativeSocketOption<Integer> IP_MULTICAST_TTL = integer("IP_MULTICAST_TTL", IPPROTO_IP, 33);
    public static final NativeSocketOption<Boolean> IP_MULTICAST_LOOP = bool("IP_MULTICAST_LOOP", IPPROTO_IP, 34);
    public static final NativeSocketOption<Boolean> IP_MULTICAST_ALL = bool("IP_MULTICAST_ALL", IPPROTO_IP, 49);

    public static final NativeSocketOption<Boolean> IPV6_V6ONLY = bool("IPV6_V6ONLY", IPPROTO_IPV6, 26);
    public static final NativeSocketOption<Integer> IPV6_TCLASS = integer("IPV6_TCLASS", IPPROTO_IPV6, 67);
    public static final NativeSocketOption<Integer> IPV6_MULTICAST_HOPS = integer("IPV6_MULTICAST_HOPS", IPPROTO_IPV6, 18);
    public static final NativeSocketOption<Boolean> IPV6_MULTICAST_LOOP = bool("IPV6_MULTICAST_LOOP", IPPROTO_IPV6, 19);
    public static final NativeSocketOption<Integer> IPV6_UNICAST_HOPS = integer("IPV6_UNICAST_HOPS", IPPROTO_IPV6, 16);
    public static final NativeSocketOption<Boolean> IPV6_MULTICAST_ALL = bool("IPV6_MULTICAST_ALL", IPPROTO_IPV6, 29);
    public static final NativeSocketOption<Boolean> IP_RECVORIGDSTADDR = bool("IP_RECVORIGDSTADDR", IPPROTO_IP, 20);

    /** UDP generic segmentation offload: the segment size of every send (0: off). Also a cmsg type per send. */
    public static final NativeSocketOption<Integer> UDP_SEGMENT = integer("UDP_SEGMENT", IPPROTO_UDP, 103);
    /** UDP generic receive offload: coalesced datagrams arrive with a UDP_GRO cmsg giving the segment size. */
    public static final NativeSocketOption<Boolean> UDP_GRO = bool("UDP_GRO", IPPROTO_UDP, 104);

    private static final Map<SocketOption<?>, NativeSocketOption<?>> STANDARD = new HashMap<>();

    static {
        STANDARD.put(StandardSocketOptions.SO_REUSEADDR, SO_REUSEADDR);
        STANDARD.put(StandardSocketOptions.SO_REUSEPORT, SO_REUSEPORT);
        STANDARD.put(StandardSocketOptions.SO_KEEPALIVE, SO_KEEPALIVE);
        STANDARD.put(StandardSocketOptions.SO_BROADCAST, SO_BROADCAST);
        STANDARD.put(StandardSocketOptions.SO_SNDBUF, SO_SNDBUF);
        STANDARD.put(StandardSocketOptions.SO_RCVBUF, SO_RCVBUF);
        STANDARD.put(StandardSocketOptions.SO_LINGER, SO_LINGER);
        STANDARD.put(StandardSocketOptions.TCP_NODELAY, TCP_NODELAY);
        STANDARD.put(StandardSocketOptions.IP_TOS, IP_TOS);
        STANDARD.put(StandardSocketOptions.IP_MULTICAST_TTL, IP_MULTICAST_TTL);
        STANDARD.put(StandardSocketOptions.IP_MULTICAST_LOOP, IP_MULTICAST_LOOP);
    }

    private SocketOptions() {
    }

    /**
     * Whether the running system has {@code option}: on Linux every option here; on Windows those with a Winsock
     * equivalent (setting another one fails with ENOPROTOOPT).
     */
    public static boolean isAvailable(NativeSocketOption<?> option) {
        return SocketCalls.CURRENT.supports(option);
    }

    /** The native option for {@code option} (a {@link NativeSocketOption} or a JDK standard one). */
    @SuppressWarnings("unchecked")
    public static <T> NativeSocketOption<T> toNative(SocketOption<T> option) {
        if (option instanceof NativeSocketOption) {
            return (NativeSocketOption<T>) option;
        }
        NativeSocketOption<?> n = STANDARD.get(option);
        if (n == null) {
            throw new UnsupportedOperationException("socket option " + option.name() + " is not supported by Proactor sockets");
        }
        return (NativeSocketOption<T>) n;
    }

    /**
     * Refuses values the JDK refuses for the same options, which the kernel would otherwise take silently (a
     * negative buffer size becomes the maximum) or half-apply (IP_TOS set, IPV6_TCLASS then refused).
     */
    static void checkValue(NativeSocketOption<?> option, Object value) {
        if (option == SO_RCVBUF || option == SO_SNDBUF) {
            if ((Integer) value < 0) {
                throw new IllegalArgumentException(option.name() + " must be >= 0: " + value);
            }
        } else if (option == IP_TOS || option == IPV6_TCLASS) {
            int v = (Integer) value;
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException(option.name() + " must be in [0, 255]: " + value);
            }
        }
    }

    private static NativeSocketOption<Boolean> bool(String name, int level, int opt) {
        return new NativeSocketOption<>(name, Boolean.class, level, opt, NativeSocketOption.Kind.BOOLEAN);
    }

    private static NativeSocketOption<Integer> integer(String name, int level, int opt) {
        return new NativeSocketOption<>(name, Integer.class, level, opt, NativeSocketOption.Kind.INT);
    }
}
