package dev.proactor.runtime.net;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Multicast group membership and the outgoing multicast interface of a UDP socket (Linux). Memberships use the
 * protocol-independent MCAST_* requests ({@code struct group_req} / {@code group_source_req}) at the level of the
 * group's family, so an IPv6 (dual-stack) socket can join IPv4 groups too. Interfaces are given by index; 0 lets
 * the kernel choose by route.
 */
public final class Multicast {
    private static final int IP_MULTICAST_IF = 32;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int MCAST_JOIN_GROUP = 42;
    private static final int MCAST_BLOCK_SOURCE = 43;
    private static final int MCAST_UNBLOCK_SOURCE = 44;
    private static final int MCAST_LEAVE_GROUP = 45;
    private static final int MCAST_JOIN_SOURCE_GROUP = 46;
    private static final int MCAST_LEAVE_SOURCE_GROUP = 47;
    /** gr_interface (u32), padding to the 8-aligned sockaddr_storage gr_group. */
    private static final int GROUP_OFFSET = 8;
    private static final int SOURCE_OFFSET = GROUP_OFFSET + SocketAddresses.STORAGE_SIZE;
    private static final int GROUP_REQ_SIZE = SOURCE_OFFSET;
    private static final int GROUP_SOURCE_REQ_SIZE = SOURCE_OFFSET + SocketAddresses.STORAGE_SIZE;
    /** struct ip_mreqn: imr_multiaddr, imr_address, imr_ifindex. */
    private static final int IP_MREQN_SIZE = 12;

    private Multicast() {
    }

    /** Joins {@code group} on interface {@code ifindex}; with a {@code source}, only that source's traffic (SSM). */
    public static void join(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        request(socket, source == null ? MCAST_JOIN_GROUP : MCAST_JOIN_SOURCE_GROUP, group, ifindex, source, "join");
    }

    public static void leave(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        request(socket, source == null ? MCAST_LEAVE_GROUP : MCAST_LEAVE_SOURCE_GROUP, group, ifindex, source, "leave");
    }

    /** Stops delivery of {@code source}'s traffic to {@code group} (joined before, without a source). */
    public static void block(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        checkSource(source);
        request(socket, MCAST_BLOCK_SOURCE, group, ifindex, source, "block");
    }

    public static void unblock(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        checkSource(source);
        request(socket, MCAST_UNBLOCK_SOURCE, group, ifindex, source, "unblock");
    }

    private static void checkSource(InetAddress source) {
        if (source == null) {
            throw new NullPointerException("source");
        }
    }

    private static void request(Socket socket, int optname, InetAddress group, int ifindex, InetAddress source,
                                String what) throws IOException {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException(group + " is not a multicast address");
        }
        boolean v6Group = group instanceof Inet6Address;
        if (v6Group && !socket.isIpv6()) {
            throw new IllegalArgumentException("IPv6 group " + group + " on an IPv4 socket");
        }
        if (source != null && (source instanceof Inet6Address) != v6Group) {
            throw new IllegalArgumentException("source " + source + " and group " + group + " differ in family");
        }
        NativeBuffer req = NativeBuffer.allocate(GROUP_SOURCE_REQ_SIZE);
        ByteBuffer b = req.buffer();
        b.putInt(0, ifindex);
        // The sockaddrs are in the group's own family: the request goes to that family's level.
        SocketAddresses.write(new InetSocketAddress(group, 0), v6Group, b, GROUP_OFFSET);
        int len = GROUP_REQ_SIZE;
        if (source != null) {
            SocketAddresses.write(new InetSocketAddress(source, 0), v6Group, b, SOURCE_OFFSET);
            len = GROUP_SOURCE_REQ_SIZE;
        }
        int level = v6Group ? SocketOptions.IPPROTO_IPV6 : SocketOptions.IPPROTO_IP;
        if (LibC.setsockopt(socket.requireFd(), level, optname, req.address(), len) != 0) {
            throw ErrnoException.of(what + " multicast group " + group.getHostAddress()
                    + (source == null ? "" : " source " + source.getHostAddress()) + " on interface " + ifindex, LibC.errno());
        }
    }

    /**
     * Sets the interface outgoing multicast leaves by: {@code ifindex} (0: by route) and, for IPv4, the source
     * {@code address} (may be null). On an IPv6 socket both the IPv6 and the IPv4 (mapped) settings are made.
     */
    public static void setInterface(Socket socket, int ifindex, Inet4Address address) throws IOException {
        int fd = socket.requireFd();
        NativeBuffer v = NativeBuffer.allocate(16);
        if (socket.isIpv6()) {
            v.buffer().putInt(0, ifindex);
            if (LibC.setsockopt(fd, SocketOptions.IPPROTO_IPV6, IPV6_MULTICAST_IF, v.address(), 4) != 0) {
                throw ErrnoException.of("setsockopt(IPV6_MULTICAST_IF, " + ifindex + ")", LibC.errno());
            }
        }
        ByteBuffer b = v.buffer();
        b.putInt(0, 0);
        if (address != null) {
            b.put(4, address.getAddress());
        } else {
            b.putInt(4, 0);
        }
        b.putInt(8, ifindex);
        if (LibC.setsockopt(fd, SocketOptions.IPPROTO_IP, IP_MULTICAST_IF, v.address(), IP_MREQN_SIZE) != 0
                && !socket.isIpv6()) {
            throw ErrnoException.of("setsockopt(IP_MULTICAST_IF, " + ifindex + ")", LibC.errno());
        }
    }

    /** IPv6 sockets: the index of the outgoing multicast interface (0: none set). */
    public static int interfaceIndex(Socket socket) throws IOException {
        return socket.getRawIntOption(SocketOptions.IPPROTO_IPV6, IPV6_MULTICAST_IF);
    }

    /** The IPv4 source address set for outgoing multicast (0.0.0.0 if none was). */
    public static Inet4Address interfaceAddress(Socket socket) throws IOException {
        NativeBuffer v = NativeBuffer.allocate(16);
        v.buffer().putInt(8, 4);
        if (LibC.getsockopt(socket.requireFd(), SocketOptions.IPPROTO_IP, IP_MULTICAST_IF, v.address(), v.address() + 8) != 0) {
            throw ErrnoException.of("getsockopt(IP_MULTICAST_IF)", LibC.errno());
        }
        byte[] a = new byte[4];
        v.buffer().get(0, a);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
