package dev.proactor.netty;

import io.netty.channel.Channel;
import io.netty.channel.unix.FileDescriptor;

/**
 * A channel's own descriptor as {@link io.netty.channel.unix.UnixChannel#fd()} returns it: {@link #intValue()}
 * is the socket's number; closing it closes the channel (the safe way: ops in flight are awaited first).
 */
final class ChannelFileDescriptor extends FileDescriptor {
    private final Channel channel;

    ChannelFileDescriptor(Channel channel, int fd) {
        super(fd);
        this.channel = channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        channel.close();
    }
}
