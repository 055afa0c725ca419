package dev.proactor.reliability.faults;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.reliability.process.FdSnapshot;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM (run inside a network namespace): connects to {@code host:port} with a connect timeout on every
 * driver and prints {@code RESULT <driver> <millis> <exception class> <message>}, then {@code FDS_LEFT_OPEN [...]}
 * (sockets, pipes and anonymous inodes open after the groups shut down that were not open before).
 */
public final class ConnectAttemptChild {
    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int timeoutMillis = Integer.parseInt(args[2]);
        FdSnapshot before = FdSnapshot.takeSettled();
        for (DriverKind kind : DriverKind.values()) {
            if (!Proactor.isAvailable(kind)) {
                continue;
            }
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                    ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
            try {
                long t0 = System.nanoTime();
                ChannelFuture f = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                        .handler(new ChannelInboundHandlerAdapter())
                        .connect(target);
                f.awaitUninterruptibly(timeoutMillis + 30_000L);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                Throwable cause = f.cause();
                boolean closed = f.channel().closeFuture().awaitUninterruptibly(5_000);
                System.out.println("RESULT " + kind + " " + millis + " "
                        + (cause == null ? "connected" : cause.getClass().getName() + " " + cause.getMessage())
                        + " closed=" + closed);
            } finally {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        }
        System.out.println("FDS_LEFT_OPEN " + FdSnapshot.takeSettled().newTransportLikeSince(before));
    }
}
