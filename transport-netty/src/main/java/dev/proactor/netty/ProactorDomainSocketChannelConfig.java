package dev.proactor.netty;

import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.unix.DomainSocketChannelConfig;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.UnixChannelOption;

import java.util.Map;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_SNDBUF;

/**
 * The configuration of a {@link ProactorDomainSocketChannel}: SO_SNDBUF, SO_RCVBUF, ALLOW_HALF_CLOSURE and
 * {@link UnixChannelOption#DOMAIN_SOCKET_READ_MODE} (bytes, or file descriptors passed with SCM_RIGHTS), as
 * {@code EpollDomainSocketChannelConfig}. A change of read mode applies from the next read loop on.
 */
public final class ProactorDomainSocketChannelConfig extends DefaultChannelConfig
        implements DomainSocketChannelConfig, DuplexChannelConfig {
    private static final SocketOptionTable OPTIONS = new SocketOptionTable()
            .map(SO_SNDBUF, SocketOptions.SO_SNDBUF)
            .map(SO_RCVBUF, SocketOptions.SO_RCVBUF);

    private final ProactorDomainSocketChannel channel;
    private volatile DomainSocketReadMode readMode = DomainSocketReadMode.BYTES;
    private volatile boolean allowHalfClosure;

    ProactorDomainSocketChannelConfig(ProactorDomainSocketChannel channel) {
        super(channel);
        this.channel = channel;
    }

    private Socket socket() {
        return channel.socket;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(getOptions(super.getOptions(), OPTIONS.channelOptions()),
                UnixChannelOption.DOMAIN_SOCKET_READ_MODE, ALLOW_HALF_CLOSURE);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (OPTIONS.contains(option)) {
            return OPTIONS.get(socket(), option);
        }
        if (option == UnixChannelOption.DOMAIN_SOCKET_READ_MODE) {
            return (T) getReadMode();
        }
        if (option == ALLOW_HALF_CLOSURE) {
            return (T) Boolean.valueOf(isAllowHalfClosure());
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (OPTIONS.contains(option)) {
            OPTIONS.set(socket(), option, value);
        } else if (option == UnixChannelOption.DOMAIN_SOCKET_READ_MODE) {
            setReadMode((DomainSocketReadMode) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    public DomainSocketReadMode getReadMode() {
        return readMode;
    }

    @Override
    public ProactorDomainSocketChannelConfig setReadMode(DomainSocketReadMode mode) {
        if (mode == null) {
            throw new NullPointerException("mode");
        }
        this.readMode = mode;
        return this;
    }

    public int getSendBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_SNDBUF);
    }

    public ProactorDomainSocketChannelConfig setSendBufferSize(int sendBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_SNDBUF, sendBufferSize);
        return this;
    }

    public int getReceiveBufferSize() {
        return SocketOptionTable.get(socket(), SocketOptions.SO_RCVBUF);
    }

    public ProactorDomainSocketChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        SocketOptionTable.set(socket(), SocketOptions.SO_RCVBUF, receiveBufferSize);
        return this;
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public ProactorDomainSocketChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }

    @Override
    @Deprecated
    public ProactorDomainSocketChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    @Deprecated
    public ProactorDomainSocketChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    @Deprecated
    public ProactorDomainSocketChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public ProactorDomainSocketChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}
