package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannelConfig;
import io.netty.util.NetUtil;

import java.util.Map;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.channel.ChannelOption.TCP_FASTOPEN;

/**
 * The configuration of a {@link ProactorServerSocketChannel}: the options {@code EpollServerSocketChannel}
 * accepts (SO_RCVBUF, SO_REUSEADDR, SO_BACKLOG, TCP_FASTOPEN, SO_REUSEPORT, IP_FREEBIND, IP_TRANSPARENT,
 * TCP_DEFER_ACCEPT). SO_REUSEADDR is on by default, as with the JDK and epoll.
 */
public final class ProactorServerSocketChannelConfig extends DefaultChannelConfig implements ServerSocketChannelConfig {
    private static final SocketOptionTable OPTIONS = SocketOptionTable.tcpCommon()
            .map(TCP_FASTOPEN, SocketOptions.TCP_FASTOPEN)
            .map(ProactorChannelOption.TCP_DEFER_ACCEPT, SocketOptions.TCP_DEFER_ACCEPT);

    private final ProactorServerSocketChannel channel;
    private volatile int backlog = NetUtil.SOMAXCONN;

    ProactorServerSocketChannelConfig(ProactorServerSocketChannel channel) {
        super(channel, new ServerChannelRecvByteBufAllocator());
        this.channel = channel;
        setReuseAddress(true);
    }

    private Socket socket() {
        return channel.socket;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(getOptions(super.getOptions(), OPTIONS.channelOptions()), SO_BACKLOG);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (OPTIONS.contains(option)) {
            return OPTIONS.get(socket(), option);
        }
        if (option == SO_BACKLOG) {
            return (T) Integer.valueOf(getBacklog());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (OPTIONS.contains(option)) {
            OPTIONS.set(socket(), option, value);
        } else if (option == SO_BACKLOG) {
            setBacklog((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public int getBacklog() {
        return backlog;
    }

    @Override
    public ProactorServerSocketChannelConfig setBacklog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_REUSEADDR);
    }

    @Override
    public ProactorServerSocketChannelConfig setReuseAddress(boolean reuseAddress) {
        SocketOptionTable.set(socket(), SocketOptions.SO_REUSEADDR, reuseAddress);
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_RCVBUF);
    }

    @Override
    public ProactorServerSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }

    @Override
    public ProactorServerSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public ProactorServerSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public ProactorServerSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public ProactorServerSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public ProactorServerSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}
