package dev.proactor.netty;

import io.netty.channel.ChannelOption;

/**
 * Linux socket options the Proactor channels accept beyond Netty's standard {@link ChannelOption}s, with the
 * names and types Netty's epoll and io_uring transports use.
 */
public final class ProactorChannelOption {
    public static final ChannelOption<Boolean> TCP_CORK = option("TCP_CORK");
    public static final ChannelOption<Boolean> TCP_QUICKACK = option("TCP_QUICKACK");
    /** Seconds of idleness before keep-alive probes start. */
    public static final ChannelOption<Integer> TCP_KEEPIDLE = option("TCP_KEEPIDLE");
    /** Seconds between keep-alive probes. */
    public static final ChannelOption<Integer> TCP_KEEPINTVL = option("TCP_KEEPINTVL");
    /** Keep-alive probes before the connection is dropped. */
    public static final ChannelOption<Integer> TCP_KEEPCNT = option("TCP_KEEPCNT");
    /** Milliseconds unacknowledged data may stay in flight before the connection is dropped. */
    public static final ChannelOption<Integer> TCP_USER_TIMEOUT = option("TCP_USER_TIMEOUT");
    /** Bytes not yet sent above which the socket stops reporting itself writable. */
    public static final ChannelOption<Long> TCP_NOTSENT_LOWAT = option("TCP_NOTSENT_LOWAT");
    public static final ChannelOption<Boolean> SO_REUSEPORT = option("SO_REUSEPORT");
    public static final ChannelOption<Boolean> IP_FREEBIND = option("IP_FREEBIND");
    public static final ChannelOption<Boolean> IP_TRANSPARENT = option("IP_TRANSPARENT");
    /** Seconds the server waits for data before accepting a connection. */
    public static final ChannelOption<Integer> TCP_DEFER_ACCEPT = option("TCP_DEFER_ACCEPT");
    /** Datagram channels: the largest datagram expected; a receive takes at most this many bytes (0: the whole buffer). */
    public static final ChannelOption<Integer> MAX_DATAGRAM_PAYLOAD_SIZE = option("MAX_DATAGRAM_PAYLOAD_SIZE");
    /** Datagram channels: UDP generic receive offload; coalesced datagrams are split again before channelRead. */
    public static final ChannelOption<Boolean> UDP_GRO = option("UDP_GRO");
    /** Datagram channels: receive the traffic of every group joined by any socket of the host (Linux default: on). */
    public static final ChannelOption<Boolean> IP_MULTICAST_ALL = option("IP_MULTICAST_ALL");

    private ProactorChannelOption() {
    }

    private static <T> ChannelOption<T> option(String name) {
        return ChannelOption.valueOf(ProactorChannelOption.class, name);
    }
}
