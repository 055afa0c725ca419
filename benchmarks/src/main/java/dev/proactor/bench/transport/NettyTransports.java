package dev.proactor.bench.transport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.List;

/** Netty's own transports, the baselines. */
final class NettyTransports {

    private NettyTransports() {
    }

    static List<Transport> all() {
        return List.of(
                new Transport("nio", () -> { }, NioIoHandler::newFactory,
                        NioServerSocketChannel.class, NioSocketChannel.class),
                new Transport("epoll", Epoll::ensureAvailability, EpollIoHandler::newFactory,
                        EpollServerSocketChannel.class, EpollSocketChannel.class),
                new Transport("io_uring", IoUring::ensureAvailability, IoUringIoHandler::newFactory,
                        IoUringServerSocketChannel.class, IoUringSocketChannel.class));
    }
}
