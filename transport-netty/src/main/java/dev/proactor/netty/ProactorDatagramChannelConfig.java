package dev.proactor.netty;

import dev.proactor.runtime.net.Multicast;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannelConfig;
import io.netty.channel.unix.UnixChannelOption;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Enumeration;
import java.util.Map;

import static io.netty.channel.ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION;
import static io.netty.channel.ChannelOption.IP_MULTICAST_ADDR;
import static io.netty.channel.ChannelOption.IP_MULTICAST_IF;
import static io.netty.channel.ChannelOption.IP_MULTICAST_LOOP_DISABLED;
import static io.netty.channel.ChannelOption.IP_MULTICAST_TTL;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_BROADCAST;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;

/**
 * The configuration of a {@link ProactorDatagramChannel}: the options {@code EpollDatagramChannel} accepts
 * (IP_RECVORIGDSTADDR aside) plus {@link ProactorChannelOption#MAX_DATAGRAM_PAYLOAD_SIZE},
 * {@link ProactorChannelOption#UDP_GRO} and {@link ProactorChannelOption#IP_MULTICAST_ALL}. Datagrams are read
 * into 2048-byte buffers by default, as with NIO and epoll. On an IPv6 (dual-stack) socket the multicast options
 * are set for both IPv6 and IPv4 traffic.
 */
public final class ProactorDatagramChannelConfig extends DefaultChannelConfig implements DatagramChannelConfig {
    private static final SocketOptionTable OPTIONS = new SocketOptionTable()
            .map(SO_BROADCAST, SocketOptions.SO_BROADCAST)
            .map(SO_RCVBUF, SocketOptions.SO_RCVBUF)
            .map(SO_SNDBUF, SocketOptions.SO_SNDBUF)
            .map(SO_REUSEADDR, SocketOptions.SO_REUSEADDR)
            .map(ProactorChannelOption.SO_REUSEPORT, SocketOptions.SO_REUSEPORT)
            .map(UnixChannelOption.SO_REUSEPORT, SocketOptions.SO_REUSEPORT)
            .map(ProactorChannelOption.IP_FREEBIND, SocketOptions.IP_FREEBIND)
            .map(ProactorChannelOption.IP_TRANSPARENT, SocketOptions.IP_TRANSPARENT);

    private final ProactorDatagramChannel channel;
    private volatile boolean activeOnOpen;
    private volatile int maxDatagramPayloadSize;
    private volatile boolean udpGro;

    ProactorDatagramChannelConfig(ProactorDatagramChannel channel) {
        super(channel, new FixedRecvByteBufAllocator(2048));
        this.channel = channel;
    }

    private Socket socket() {
        return channel.socket;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(getOptions(super.getOptions(), OPTIONS.channelOptions()),
                IP_MULTICAST_LOOP_DISABLED, IP_MULTICAST_ADDR, IP_MULTICAST_IF, IP_MULTICAST_TTL, IP_TOS,
                DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE,
                ProactorChannelOption.UDP_GRO, ProactorChannelOption.IP_MULTICAST_ALL);
    }

    @SuppressWarnings({"unchecked", "deprecation"})
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (OPTIONS.contains(option)) {
            return OPTIONS.get(socket(), option);
        }
        if (option == IP_MULTICAST_LOOP_DISABLED) {
            return (T) Boolean.valueOf(isLoopbackModeDisabled());
        }
        if (option == IP_MULTICAST_ADDR) {
            return (T) getInterface();
        }
        if (option == IP_MULTICAST_IF) {
            return (T) getNetworkInterface();
        }
        if (option == IP_MULTICAST_TTL) {
            return (T) Integer.valueOf(getTimeToLive());
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            return (T) Boolean.valueOf(activeOnOpen);
        }
        if (option == ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE) {
            return (T) Integer.valueOf(getMaxDatagramPayloadSize());
        }
        if (option == ProactorChannelOption.UDP_GRO) {
            return (T) Boolean.valueOf(isUdpGro());
        }
        if (option == ProactorChannelOption.IP_MULTICAST_ALL) {
            return (T) Boolean.valueOf(isIpMulticastAll());
        }
        return super.getOption(option);
    }

    @SuppressWarnings("deprecation")
    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (OPTIONS.contains(option)) {
            OPTIONS.set(socket(), option, value);
        } else if (option == IP_MULTICAST_LOOP_DISABLED) {
            setLoopbackModeDisabled((Boolean) value);
        } else if (option == IP_MULTICAST_ADDR) {
            setInterface((InetAddress) value);
        } else if (option == IP_MULTICAST_IF) {
            setNetworkInterface((NetworkInterface) value);
        } else if (option == IP_MULTICAST_TTL) {
            setTimeToLive((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION) {
            setActiveOnOpen((Boolean) value);
        } else if (option == ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE) {
            setMaxDatagramPayloadSize((Integer) value);
        } else if (option == ProactorChannelOption.UDP_GRO) {
            setUdpGro((Boolean) value);
        } else if (option == ProactorChannelOption.IP_MULTICAST_ALL) {
            setIpMulticastAll((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    private void setActiveOnOpen(boolean activeOnOpen) {
        if (channel.isRegistered()) {
            throw new IllegalStateException("DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION can only be set before registration");
        }
        this.activeOnOpen = activeOnOpen;
    }

    boolean isActiveOnOpen() {
        return activeOnOpen;
    }

    /** The most bytes one receive takes (0: the whole buffer the allocator gives). */
    public int getMaxDatagramPayloadSize() {
        return maxDatagramPayloadSize;
    }

    public ProactorDatagramChannelConfig setMaxDatagramPayloadSize(int maxDatagramPayloadSize) {
        if (maxDatagramPayloadSize < 0) {
            throw new IllegalArgumentException("maxDatagramPayloadSize must be >= 0: " + maxDatagramPayloadSize);
        }
        this.maxDatagramPayloadSize = maxDatagramPayloadSize;
        return this;
    }

    public boolean isUdpGro() {
        return udpGro;
    }

    /** UDP_GRO: the kernel may hand several datagrams of one sender over at once; they are split again before channelRead. */
    public ProactorDatagramChannelConfig setUdpGro(boolean udpGro) {
        SocketOptionTable.set(socket(), SocketOptions.UDP_GRO, udpGro);
        this.udpGro = udpGro;
        return this;
    }

    public boolean isIpMulticastAll() {
        return SocketOptionTable.get(socket(), SocketOptions.IP_MULTICAST_ALL);
    }

    public ProactorDatagramChannelConfig setIpMulticastAll(boolean multicastAll) {
        if (socket().isIpv6()) {
            SocketOptionTable.set(socket(), SocketOptions.IPV6_MULTICAST_ALL, multicastAll);
        }
        SocketOptionTable.set(socket(), SocketOptions.IP_MULTICAST_ALL, multicastAll);
        return this;
    }

    public boolean isReusePort() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_REUSEPORT);
    }

    public ProactorDatagramChannelConfig setReusePort(boolean reusePort) {
        SocketOptionTable.set(socket(), SocketOptions.SO_REUSEPORT, reusePort);
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_SNDBUF);
    }

    @Override
    public ProactorDatagramChannelConfig setSendBufferSize(int sendBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_SNDBUF, sendBufferSize);
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_RCVBUF);
    }

    @Override
    public ProactorDatagramChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public int getTrafficClass() {
        return SocketOptionTable.getTrafficClass(socket());
    }

    @Override
    public ProactorDatagramChannelConfig setTrafficClass(int trafficClass) {
        SocketOptionTable.setTrafficClass(socket(), trafficClass);
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_REUSEADDR);
    }

    @Override
    public ProactorDatagramChannelConfig setReuseAddress(boolean reuseAddress) {
        SocketOptionTable.set(socket(), SocketOptions.SO_REUSEADDR, reuseAddress);
        return this;
    }

    @Override
    public boolean isBroadcast() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_BROADCAST);
    }

    @Override
    public ProactorDatagramChannelConfig setBroadcast(boolean broadcast) {
        SocketOptionTable.set(socket(), SocketOptions.SO_BROADCAST, broadcast);
        return this;
    }

    @Override
    public boolean isLoopbackModeDisabled() {
        boolean loop = socket().isIpv6() ? SocketOptionTable.get(socket(), SocketOptions.IPV6_MULTICAST_LOOP)
                : SocketOptionTable.get(socket(), SocketOptions.IP_MULTICAST_LOOP);
        return !loop;
    }

    @Override
    public ProactorDatagramChannelConfig setLoopbackModeDisabled(boolean loopbackModeDisabled) {
        if (socket().isIpv6()) {
            SocketOptionTable.set(socket(), SocketOptions.IPV6_MULTICAST_LOOP, !loopbackModeDisabled);
        }
        SocketOptionTable.set(socket(), SocketOptions.IP_MULTICAST_LOOP, !loopbackModeDisabled);
        return this;
    }

    @Override
    public int getTimeToLive() {
        return socket().isIpv6() ? SocketOptionTable.get(socket(), SocketOptions.IPV6_MULTICAST_HOPS)
                : SocketOptionTable.get(socket(), SocketOptions.IP_MULTICAST_TTL);
    }

    @Override
    public ProactorDatagramChannelConfig setTimeToLive(int ttl) {
        if (socket().isIpv6()) {
            SocketOptionTable.set(socket(), SocketOptions.IPV6_MULTICAST_HOPS, ttl);
        }
        SocketOptionTable.set(socket(), SocketOptions.IP_MULTICAST_TTL, ttl);
        return this;
    }

    /** An address of the outgoing multicast interface, or null if none was set. */
    @Override
    public InetAddress getInterface() {
        NetworkInterface ni = getNetworkInterface();
        if (ni == null) {
            return null;
        }
        Enumeration<InetAddress> addresses = ni.getInetAddresses();
        return addresses.hasMoreElements() ? addresses.nextElement() : null;
    }

    @Override
    public ProactorDatagramChannelConfig setInterface(InetAddress interfaceAddress) {
        try {
            NetworkInterface ni = NetworkInterface.getByInetAddress(interfaceAddress);
            if (ni == null) {
                throw new ChannelException("no network interface has the address " + interfaceAddress);
            }
            Multicast.setInterface(socket(), ni.getIndex(),
                    interfaceAddress instanceof Inet4Address ? (Inet4Address) interfaceAddress : firstIpv4(ni));
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
        return this;
    }

    @Override
    public NetworkInterface getNetworkInterface() {
        try {
            if (socket().isIpv6()) {
                int index = Multicast.interfaceIndex(socket());
                return index == 0 ? null : NetworkInterface.getByIndex(index);
            }
            Inet4Address address = Multicast.interfaceAddress(socket());
            return address.isAnyLocalAddress() ? null : NetworkInterface.getByInetAddress(address);
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
    }

    @Override
    public ProactorDatagramChannelConfig setNetworkInterface(NetworkInterface networkInterface) {
        try {
            Inet4Address v4 = firstIpv4(networkInterface);
            if (!socket().isIpv6() && v4 == null) {
                throw new ChannelException("network interface " + networkInterface.getName() + " has no IPv4 address");
            }
            Multicast.setInterface(socket(), networkInterface.getIndex(), v4);
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
        return this;
    }

    private static Inet4Address firstIpv4(NetworkInterface ni) throws SocketException {
        Enumeration<InetAddress> addresses = ni.getInetAddresses();
        while (addresses.hasMoreElements()) {
            InetAddress a = addresses.nextElement();
            if (a instanceof Inet4Address) {
                return (Inet4Address) a;
            }
        }
        return null;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }

    @Override
    @Deprecated
    public ProactorDatagramChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }

    @Override
    public ProactorDatagramChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public ProactorDatagramChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public ProactorDatagramChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }
}
