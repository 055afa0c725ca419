package dev.proactor.netty;

import dev.proactor.runtime.net.SocketOptions;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.util.NetUtil;

import java.util.Map;

import static io.netty.channel.ChannelOption.SO_BACKLOG;
import static io.netty.channel.ChannelOption.SO_RCVBUF;

/** The configuration of a {@link ProactorServerDomainSocketChannel}: SO_BACKLOG and SO_RCVBUF. */
public final class ProactorServerDomainSocketChannelConfig extends DefaultChannelConfig {
    private static final SocketOptionTable OPTIONS = new SocketOptionTable().map(SO_RCVBUF, SocketOptions.SO_RCVBUF);

    private final ProactorServerDomainSocketChannel channel;
    private volatile int backlog = NetUtil.SOMAXCONN;

    ProactorServerDomainSocketChannelConfig(ProactorServerDomainSocketChannel channel) {
        super(channel, new ServerChannelRecvByteBufAllocator());
        this.channel = channel;
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(getOptions(super.getOptions(), OPTIONS.channelOptions()), SO_BACKLOG);
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getOption(ChannelOption<T> option) {
        if (OPTIONS.contains(option)) {
            return OPTIONS.get(channel.socket, option);
        }
        if (option == SO_BACKLOG) {
            return (T) Integer.valueOf(backlog);
        }
        return super.getOption(option);
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (OPTIONS.contains(option)) {
            OPTIONS.set(channel.socket, option, value);
        } else if (option == SO_BACKLOG) {
            setBacklog((Integer) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    public int getBacklog() {
        return backlog;
    }

    public ProactorServerDomainSocketChannelConfig setBacklog(int backlog) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
        }
        this.backlog = backlog;
        return this;
    }

    @Override
    protected void autoReadCleared() {
        channel.autoReadCleared();
    }
}
