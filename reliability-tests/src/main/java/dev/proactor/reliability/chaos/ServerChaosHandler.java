package dev.proactor.reliability.chaos;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The server side of a chaos connection: echoes what it reads, cut into one to three writes, and stops reading
 * while it cannot write. Some connections misbehave on purpose: closed after some bytes, reset (SO_LINGER 0)
 * with an echo in flight, half-closed, closed from a thread that is not the event loop, reads paused from
 * another thread.
 */
final class ServerChaosHandler extends ChannelInboundHandlerAdapter {
    private enum Action { ECHO, CLOSE_AFTER, RESET_AFTER, SHUTDOWN_OUTPUT_AFTER, FOREIGN_CLOSE, PAUSE_READS }

    private final ChaosStats stats;
    private final ScheduledExecutorService foreign;
    private Action action;
    private long trigger;
    private long received;
    private boolean outputShut;

    ServerChaosHandler(ChaosStats stats, ScheduledExecutorService foreign) {
        this.stats = stats;
        this.foreign = foreign;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.accepted.increment();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int p = rnd.nextInt(100);
        action = p < 70 ? Action.ECHO : p < 77 ? Action.CLOSE_AFTER : p < 83 ? Action.RESET_AFTER
                : p < 87 ? Action.SHUTDOWN_OUTPUT_AFTER : p < 93 ? Action.FOREIGN_CLOSE : Action.PAUSE_READS;
        trigger = rnd.nextLong(1, 512 * 1024);
        Channel ch = ctx.channel();
        if (action == Action.FOREIGN_CLOSE) {
            foreign.schedule(() -> {
                stats.foreignThreadCloses.increment();
                ch.close();
            }, rnd.nextInt(0, 50), TimeUnit.MILLISECONDS);
        } else if (action == Action.PAUSE_READS) {
            foreign.schedule(() -> {
                stats.autoReadToggles.increment();
                ch.config().setAutoRead(false);
                foreign.schedule(() -> ch.config().setAutoRead(true), ThreadLocalRandom.current().nextInt(10, 200),
                        TimeUnit.MILLISECONDS);
            }, rnd.nextInt(0, 20), TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        int n = buf.readableBytes();
        received += n;
        stats.serverReads.increment();
        if (outputShut) {
            buf.release();
            return;
        }
        if (received >= trigger) {
            switch (action) {
                case CLOSE_AFTER:
                    buf.release();
                    stats.serverCloses.increment();
                    ctx.close();
                    return;
                case RESET_AFTER:
                    // The echo goes out, then an RST right behind it while it may still be in flight.
                    echo(ctx, buf);
                    ctx.flush();
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    stats.resetsSent.increment();
                    ctx.close();
                    return;
                case SHUTDOWN_OUTPUT_AFTER:
                    buf.release();
                    outputShut = true;
                    stats.halfCloses.increment();
                    ((DuplexChannel) ctx.channel()).shutdownOutput();
                    return;
                default:
                    break;
            }
        }
        echo(ctx, buf);
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void echo(ChannelHandlerContext ctx, ByteBuf buf) {
        int n = buf.readableBytes();
        stats.serverBytes.add(n);
        int pieces = n < 3 ? 1 : ThreadLocalRandom.current().nextInt(1, 4);
        int at = buf.readerIndex();
        int left = n;
        for (int i = 0; i < pieces; i++) {
            int len = i == pieces - 1 ? left : ThreadLocalRandom.current().nextInt(1, left - (pieces - 1 - i) + 1);
            ctx.write(buf.retainedSlice(at, len), ctx.voidPromise());
            stats.serverWrites.increment();
            at += len;
            left -= len;
        }
        buf.release();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            // The client half-closed: finish the echo, then close.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error(cause);
        ctx.close();
    }
}
