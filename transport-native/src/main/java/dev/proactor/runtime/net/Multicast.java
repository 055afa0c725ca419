package dev.proactor.runtime.net;

import dev.proactor.runtime.NativeBuffer;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Multicast group membership and the outgoing multicast interface of a UDP socket, through the system's
 * {@link SocketCalls}. Linux: the protocol-independent MCAST_* requests ({@code struct group_req} /
 * {@code group_source_req}) at the level of the group's family, so an IPv6 (dual-stack) socket can join IPv4
 * groups too. Windows: IP_ADD_MEMBERSHIP and friends ({@code ip_mreq}, {@code ip_mreq_source}) for IPv4 groups,
 * IPV6_ADD_MEMBERSHIP ({@code ipv6_mreq}) for IPv6 ones and MCAST_* (same layout as Linux, other numbers) only for
 * IPv6 source filters. Interfaces are given by index; 0 lets the system choose by route.
 */
public final class Multicast {
    private static final SocketCalls CALLS = SocketCalls.CURRENT;
    private static final boolean WINSOCK = CALLS.isWinsock();

    private static final int IP_MULTICAST_IF = WINSOCK ? 9 : 32;
    private static final int IPV6_MULTICAST_IF = WINSOCK ? 9 : 17;
    private static final int MCAST_JOIN_GROUP = WINSOCK ? 41 : 42;
    private static final int MCAST_BLOCK_SOURCE = 43; // the same on both
    private static final int MCAST_UNBLOCK_SOURCE = 44;
    private static final int MCAST_LEAVE_GROUP = WINSOCK ? 42 : 45;
    private static final int MCAST_JOIN_SOURCE_GROUP = WINSOCK ? 45 : 46;
    private static final int MCAST_LEAVE_SOURCE_GROUP = WINSOCK ? 46 : 47;
    /** Windows (ws2ipdef.h). */
    private static final int WIN_IP_ADD_MEMBERSHIP = 12;
    private static final int WIN_IP_DROP_MEMBERSHIP = 13;
    private static final int WIN_IP_ADD_SOURCE_MEMBERSHIP = 15;
    private static final int WIN_IP_DROP_SOURCE_MEMBERSHIP = 16;
    private static final int WIN_IP_BLOCK_SOURCE = 17;
    private static final int WIN_IP_UNBLOCK_SOURCE = 18;
    private static final int WIN_IPV6_ADD_MEMBERSHIP = 12;
    private static final int WIN_IPV6_DROP_MEMBERSHIP = 13;
    /** gr_interface (u32), padding to the 8-aligned sockaddr_storage gr_group (the same on both systems). */
    private static final int GROUP_OFFSET = 8;
    private static final int SOURCE_OFFSET = GROUP_OFFSET + SocketAddresses.STORAGE_SIZE;
    private static final int GROUP_REQ_SIZE = SOURCE_OFFSET;
    private static final int GROUP_SOURCE_REQ_SIZE = SOURCE_OFFSET + SocketAddresses.STORAGE_SIZE;
    /** struct ip_mreqn (Linux): imr_multiaddr, imr_address, imr_ifindex. */
    private static final int IP_MREQN_SIZE = 12;

    private enum Change {
        JOIN("join", MCAST_JOIN_GROUP, MCAST_JOIN_SOURCE_GROUP, WIN_IP_ADD_MEMBERSHIP, WIN_IP_ADD_SOURCE_MEMBERSHIP,
                WIN_IPV6_ADD_MEMBERSHIP),
        LEAVE("leave", MCAST_LEAVE_GROUP, MCAST_LEAVE_SOURCE_GROUP, WIN_IP_DROP_MEMBERSHIP, WIN_IP_DROP_SOURCE_MEMBERSHIP,
                WIN_IPV6_DROP_MEMBERSHIP),
        BLOCK("block", -1, MCAST_BLOCK_SOURCE, -1, WIN_IP_BLOCK_SOURCE, -1),
        UNBLOCK("unblock", -1, MCAST_UNBLOCK_SOURCE, -1, WIN_IP_UNBLOCK_SOURCE, -1);

        final String what;
        final int mcastGroup;
        final int mcastSource;
        final int winIpGroup;
        final int winIpSource;
        final int winIpv6Group;

        Change(String what, int mcastGroup, int mcastSource, int winIpGroup, int winIpSource, int winIpv6Group) {
            this.what = what;
            this.mcastGroup = mcastGroup;
            this.mcastSource = mcastSource;
            this.winIpGroup = winIpGroup;
            this.winIpSource = winIpSource;
            this.winIpv6Group = winIpv6Group;
        }
    }

    private Multicast() {
    }

    /** Joins {@code group} on interface {@code ifindex}; with a {@code source}, only that source's traffic (SSM). */
    public static void join(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        request(socket, Change.JOIN, group, ifindex, source);
    }

    public static void leave(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        request(socket, Change.LEAVE, group, ifindex, source);
    }

    /** Stops delivery of {@code source}'s traffic to {@code group} (joined before, without a source). */
    public static void block(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        checkSource(source);
        request(socket, Change.BLOCK, group, ifindex, source);
    }

    public static void unblock(Socket socket, InetAddress group, int ifindex, InetAddress source) throws IOException {
        checkSource(source);
        request(socket, Change.UNBLOCK, group, ifindex, source);
    }

    private static void checkSource(InetAddress source) {
        if (source == null) {
            throw new NullPointerException("source");
        }
    }

    private static void request(Socket socket, Change change, InetAddress group, int ifindex, InetAddress source)
            throws IOException {
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
        String what = change.what + " multicast group " + group.getHostAddress()
                + (source == null ? "" : " source " + source.getHostAddress()) + " on interface " + ifindex;
        int fd = socket.requireFd();
        if (WINSOCK && !v6Group) {
            windowsIpv4(fd, change, (Inet4Address) group, ifindex, (Inet4Address) source, what);
        } else if (WINSOCK && source == null) {
            // ipv6_mreq { in6_addr ipv6mr_multiaddr; ULONG ipv6mr_interface; }
            NativeBuffer req = NativeBuffer.allocate(20);
            req.buffer().put(0, group.getAddress()).putInt(16, ifindex);
            CALLS.setRawOption(fd, SocketOptions.IPPROTO_IPV6, change.winIpv6Group, req.address(), 20,
                    what + " (IPV6_" + (change == Change.JOIN ? "ADD" : "DROP") + "_MEMBERSHIP)");
        } else {
            groupRequest(fd, change, group, v6Group, ifindex, source, what);
        }
    }

    /** MCAST_*: struct group_req / group_source_req, the sockaddrs in the group's own family, at that family's level. */
    private static void groupRequest(int fd, Change change, InetAddress group, boolean v6Group, int ifindex,
                                     InetAddress source, String what) throws IOException {
        NativeBuffer req = NativeBuffer.allocate(GROUP_SOURCE_REQ_SIZE);
        ByteBuffer b = req.buffer();
        b.putInt(0, ifindex);
        SocketAddresses.write(new InetSocketAddress(group, 0), v6Group, b, GROUP_OFFSET);
        int len = GROUP_REQ_SIZE;
        if (source != null) {
            SocketAddresses.write(new InetSocketAddress(source, 0), v6Group, b, SOURCE_OFFSET);
            len = GROUP_SOURCE_REQ_SIZE;
        }
        int level = v6Group ? SocketOptions.IPPROTO_IPV6 : SocketOptions.IPPROTO_IP;
        CALLS.setRawOption(fd, level, source == null ? change.mcastGroup : change.mcastSource, req.address(), len, what);
    }

    /**
     * Windows, IPv4 group: ip_mreq { multiaddr; interface } or ip_mreq_source { multiaddr; sourceaddr; interface }.
     * An interface address in 0.0.0.0/8 is read by Windows as an interface index.
     */
    private static void windowsIpv4(int fd, Change change, Inet4Address group, int ifindex, Inet4Address source,
                                    String what) throws IOException {
        NativeBuffer req = NativeBuffer.allocate(12);
        ByteBuffer b = req.buffer();
        b.put(0, group.getAddress());
        int len;
        int optname;
        if (source == null) {
            b.put(4, interfaceAddress4(ifindex));
            len = 8;
            optname = change.winIpGroup;
        } else {
            b.put(4, source.getAddress());
            b.put(8, interfaceAddress4(ifindex));
            len = 12;
            optname = change.winIpSource;
        }
        CALLS.setRawOption(fd, SocketOptions.IPPROTO_IP, optname, req.address(), len, what);
    }

    /**
     * Windows, IPv4: the interface as an in_addr. Its IPv4 address where it has one; otherwise the index n as
     * 0.0.0.n, which Windows reads as an index (Wine does not: it wants the address).
     */
    private static byte[] interfaceAddress4(int ifindex) {
        if (ifindex != 0) {
            try {
                java.net.NetworkInterface ni = java.net.NetworkInterface.getByIndex(ifindex);
                if (ni != null) {
                    for (InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                        if (a instanceof Inet4Address) {
                            return a.getAddress();
                        }
                    }
                }
            } catch (java.net.SocketException e) {
                // fall back to the index form
            }
        }
        return new byte[] {(byte) (ifindex >>> 24), (byte) (ifindex >>> 16), (byte) (ifindex >>> 8), (byte) ifindex};
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
            CALLS.setRawOption(fd, SocketOptions.IPPROTO_IPV6, IPV6_MULTICAST_IF, v.address(), 4,
                    "setsockopt(IPV6_MULTICAST_IF, " + ifindex + ")");
        }
        ByteBuffer b = v.buffer();
        int len;
        if (WINSOCK) { // an in_addr: the address, or the index as 0.0.0.n
            b.put(0, address != null ? address.getAddress() : interfaceAddress4(ifindex));
            len = 4;
        } else {
            b.putInt(0, 0);
            if (address != null) {
                b.put(4, address.getAddress());
            } else {
                b.putInt(4, 0);
            }
            b.putInt(8, ifindex);
            len = IP_MREQN_SIZE;
        }
        try {
            CALLS.setRawOption(fd, SocketOptions.IPPROTO_IP, IP_MULTICAST_IF, v.address(), len,
                    "setsockopt(IP_MULTICAST_IF, " + ifindex + ")");
        } catch (IOException e) {
            if (!socket.isIpv6()) {
                throw e;
            }
        }
    }

    /** IPv6 sockets: the index of the outgoing multicast interface (0: none set). */
    public static int interfaceIndex(Socket socket) throws IOException {
        return socket.getRawIntOption(SocketOptions.IPPROTO_IPV6, IPV6_MULTICAST_IF);
    }

    /** The IPv4 source address set for outgoing multicast (0.0.0.0 if none was). */
    public static Inet4Address interfaceAddress(Socket socket) throws IOException {
        NativeBuffer v = NativeBuffer.allocate(16);
        CALLS.getRawOption(socket.requireFd(), SocketOptions.IPPROTO_IP, IP_MULTICAST_IF, v.address(), 4,
                "getsockopt(IP_MULTICAST_IF)");
        byte[] a = new byte[4];
        v.buffer().get(0, a);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
