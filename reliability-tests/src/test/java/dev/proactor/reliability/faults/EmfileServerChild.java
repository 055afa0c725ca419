package dev.proactor.reliability.faults;

import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.reliability.process.FdSnapshot;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child JVM for the EMFILE test: an echo server on the transport, run under a low {@code ulimit -n}. Prints
 * {@code PORT=}, {@code FDS=} (open at start), {@code ACCEPT_ERROR <message>} for the first error the server
 * channel reports and {@code ERRORS=<count>} four times a second (printing every error would throttle a busy
 * loop through the pipe and hide it). Mode {@code bootstrap}: a plain ServerBootstrap (whose acceptor pauses auto-read for a second
 * on errors). Mode {@code bare}: the server channel alone, with a handler that only logs errors, so any back-off
 * must come from the channel itself.
 */
public final class EmfileServerChild {
    public static void main(String[] args) throws Exception {
        boolean bare = args.length > 0 && args[0].equals("bare");
        EventLoopGroup group = new ProactorEventLoopGroup(1);
        AtomicLong errors = new AtomicLong();
        ChannelInboundHandlerAdapter errorLog = new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (errors.incrementAndGet() == 1) {
                    System.out.println("ACCEPT_ERROR " + cause.getMessage());
                }
                ctx.fireExceptionCaught(cause);
            }

            @Override
            public boolean isSharable() {
                return true;
            }
        };
        ChannelInitializer<Channel> echo = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                });
            }
        };
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        Channel server;
        if (bare) {
            ProactorServerSocketChannel ch = new ProactorServerSocketChannel();
            ch.config().setBacklog(1024);
            ch.pipeline().addLast(errorLog, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    Channel child = (Channel) msg;
                    child.pipeline().addLast(echo);
                    group.register(child);
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    // logged above; the channel goes on accepting
                }
            });
            group.register(ch).sync();
            ch.bind(any).sync();
            server = ch;
        } else {
            server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .option(io.netty.channel.ChannelOption.SO_BACKLOG, 1024)
                    .handler(errorLog)
                    .childHandler(echo)
                    .bind(any).sync().channel();
        }
        Thread counter = new Thread(() -> {
            for (;;) {
                System.out.println("ERRORS=" + errors.get());
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        counter.setDaemon(true);
        counter.start();
        System.out.println("FDS=" + FdSnapshot.count());
        System.out.println("PORT=" + ((InetSocketAddress) server.localAddress()).getPort());
        server.closeFuture().sync();
    }
}
