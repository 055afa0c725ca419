package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.util.internal.PlatformDependent;

import java.util.Map;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_FASTOPEN_CONNECT;
import static io.netty.channel.ChannelOption.TCP_NODELAY;

/**
 * The configuration of a {@link ProactorSocketChannel}: every option {@code EpollSocketChannel} accepts that
 * Linux can honour here, plus {@link ProactorChannelOption}s. Socket options go straight to the socket, which
 * exists from the channel's construction, so options set before connect apply to the connection.
 */
public final class ProactorSocketChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {
    private static final boolean NOTSENT_LOWAT = SocketOptions.isAvailable(SocketOptions.TCP_NOTSENT_LOWAT);
    private static final SocketOptionTable OPTIONS = SocketOptionTable.tcpCommon()
            .map(SO_SNDBUF, SocketOptions.SO_SNDBUF)
            .map(TCP_NODELAY, SocketOptions.TCP_NODELAY)
            .map(SO_KEEPALIVE, SocketOptions.SO_KEEPALIVE)
            .map(SO_LINGER, SocketOptions.SO_LINGER)
            .map(TCP_FASTOPEN_CONNECT, SocketOptions.TCP_FASTOPEN_CONNECT)
            .map(ProactorChannelOption.TCP_CORK, SocketOptions.TCP_CORK)
            .map(ProactorChannelOption.TCP_QUICKACK, SocketOptions.TCP_QUICKACK)
            .map(ProactorChannelOption.TCP_KEEPIDLE, SocketOptions.TCP_KEEPIDLE)
            .map(ProactorChannelOption.TCP_KEEPINTVL, SocketOptions.TCP_KEEPINTVL)
            .map(ProactorChannelOption.TCP_KEEPCNT, SocketOptions.TCP_KEEPCNT)
            .map(ProactorChannelOption.TCP_USER_TIMEOUT, SocketOptions.TCP_USER_TIMEOUT);

    private final ProactorSocketChannel channel;
    private volatile boolean allowHalfClosure;

    ProactorSocketChannelConfig(ProactorSocketChannel channel) {
        super(channel);
        this.channel = channel;
        if (PlatformDependent.canEnableTcpNoDelayByDefault()) {
            setTcpNoDelay(true);
        }
    }

    private Socket socket() {
        return channel.socket;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        Map<ChannelOption<?>, Object> m = getOptions(super.getOptions(), OPTIONS.channelOptions());
        m = getOptions(m, IP_TOS, ALLOW_HALF_CLOSURE);
        return NOTSENT_LOWAT ? getOptions(m, ProactorChannelOption.TCP_NOTSENT_LOWAT) : m;
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (OPTIONS.contains(option)) {
            return OPTIONS.get(socket(), option);
        }
        if (option == IP_TOS) {
            return (T) Integer.valueOf(getTrafficClass());
        }
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        if (option == ProactorChannelOption.TCP_NOTSENT_LOWAT && NOTSENT_LOWAT) {
            return (T) Long.valueOf(SocketOptionTable.get(socket(), SocketOptions.TCP_NOTSENT_LOWAT) & 0xffffffffL);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (OPTIONS.contains(option)) {
            OPTIONS.set(socket(), option, value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else if (option == ProactorChannelOption.TCP_NOTSENT_LOWAT && NOTSENT_LOWAT) {
            long v = (Long) value;
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("TCP_NOTSENT_LOWAT must be in [0, 4294967295]: " + v);
            }
            SocketOptionTable.set(socket(), SocketOptions.TCP_NOTSENT_LOWAT, (int) v);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getReceiveBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_RCVBUF);
    }

    @Override
    public ProactorSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public int getSendBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_SNDBUF);
    }

    @Override
    public ProactorSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_SNDBUF, sendBufferSize);
        return this;
    }

    @Override
    public boolean isTcpNoDelay() {
        return SocketOptionTable.get(socket(), SocketOptions.TCP_NODELAY);
    }

    @Override
    public ProactorSocketChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        SocketOptionTable.set(socket(), SocketOptions.TCP_NODELAY, tcpNoDelay);
        return this;
    }

    @Override
    public int getSoLinger() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_LINGER);
    }

    @Override
    public ProactorSocketChannelConfig setSoLinger(int soLinger) {
        SocketOptionTable.set(socket(), SocketOptions.SO_LINGER, soLinger);
        return this;
    }

    @Override
    public int getTrafficClass() {
        return SocketOptionTable.getTrafficClass(socket());
    }

    @Override
    public ProactorSocketChannelConfig setTrafficClass(int trafficClass) {
        SocketOptionTable.setTrafficClass(socket(), trafficClass);
        return this;
    }

    @Override
    public boolean isKeepAlive() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_KEEPALIVE);
    }

    @Override
    public ProactorSocketChannelConfig setKeepAlive(boolean keepAlive) {
        SocketOptionTable.set(socket(), SocketOptions.SO_KEEPALIVE, keepAlive);
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_REUSEADDR);
    }

    @Override
    public ProactorSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        SocketOptionTable.set(socket(), SocketOptions.SO_REUSEADDR, reuseAddress);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        // Not supported by Linux sockets; ignored as by the JDK and Netty's native transports.
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public ProactorSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }

    @Override
    public ProactorSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public ProactorSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public ProactorSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public ProactorSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public ProactorSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}
