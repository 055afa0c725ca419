package dev.proactor.reliability.chaos;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The client side of a chaos connection: sends a {@link PatternStream} in writes of random sizes and kinds
 * (direct, heap, composite), respecting writability, checks every byte that comes back, and misbehaves as its
 * {@link ClientScenario} says.
 */
final class ClientChaosHandler extends ChannelInboundHandlerAdapter {
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return PatternStream.newScratch();
        }
    };

    final ClientScenario scenario;
    final long startNanos = System.nanoTime();
    private final ChaosStats stats;
    private final ScheduledExecutorService foreign;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final long total;
    private final long resetAt;
    private volatile long sent;
    private volatile long received;
    private boolean stopSending;
    private boolean complete;

    ClientChaosHandler(ClientScenario scenario, ChaosStats stats, ScheduledExecutorService foreign) {
        this.scenario = scenario;
        this.stats = stats;
        this.foreign = foreign;
        this.total = scenario.pickTotal();
        this.resetAt = ThreadLocalRandom.current().nextLong(1, total + 1);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connected.increment();
        Channel ch = ctx.channel();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        switch (scenario) {
            case RESET_MID_WRITE:
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                break;
            case CLOSE_IN_FLIGHT:
                send(ctx, (int) Math.min(total, 2 << 20));
                ctx.flush();
                stats.closesWithWriteInFlight.increment();
                ctx.close();
                return;
            case FOREIGN_CLOSE:
                foreign.schedule(() -> {
                    stats.foreignThreadCloses.increment();
                    ch.close();
                }, rnd.nextInt(0, 30), TimeUnit.MILLISECONDS);
                break;
            case STALL:
                foreign.schedule(() -> {
                    stats.autoReadToggles.increment();
                    ch.config().setAutoRead(true);
                }, rnd.nextInt(20, 300), TimeUnit.MILLISECONDS);
                break;
            default:
                break;
        }
        pump(ctx);
        ctx.fireChannelActive();
    }

    private void pump(ChannelHandlerContext ctx) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!stopSending && sent < total && ctx.channel().isWritable()) {
            int max = rnd.nextInt(8) == 0 ? 16 : 64 * 1024;
            send(ctx, (int) Math.min(total - sent, rnd.nextInt(1, max + 1)));
            if (rnd.nextInt(4) == 0) {
                ctx.flush();
            }
            if (scenario == ClientScenario.RESET_MID_WRITE && sent >= resetAt) {
                ctx.flush();
                stopSending = true;
                stats.resetsSent.increment();
                ctx.close();
                return;
            }
        }
        ctx.flush();
        if (sent == total && scenario == ClientScenario.HALF_CLOSE && !stopSending) {
            stopSending = true;
            stats.halfCloses.increment();
            ((DuplexChannel) ctx.channel()).shutdownOutput();
        }
    }

    private void send(ChannelHandlerContext ctx, int n) {
        ByteBufAllocator alloc = ctx.alloc();
        ByteBuf buf;
        int kind = ThreadLocalRandom.current().nextInt(10);
        if (kind < 6 || n < 2) {
            buf = alloc.directBuffer(n);
            PatternStream.write(buf, seed, sent, n);
        } else if (kind < 9) {
            buf = alloc.heapBuffer(n);
            PatternStream.write(buf, seed, sent, n);
        } else {
            int half = n / 2;
            ByteBuf a = alloc.directBuffer(half);
            ByteBuf b = alloc.heapBuffer(n - half);
            PatternStream.write(a, seed, sent, half);
            PatternStream.write(b, seed, sent + half, n - half);
            CompositeByteBuf c = alloc.compositeBuffer(2);
            c.addComponents(true, a, b);
            buf = c;
        }
        sent += n;
        stats.bytesSent.add(n);
        stats.clientWrites.increment();
        ctx.write(buf, ctx.voidPromise());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            stats.clientReads.increment();
            int n = buf.readableBytes();
            long at = received;
            if (at + n > sent) {
                mismatch(ctx, "echo longer than what was sent: " + (at + n) + " > " + sent);
                return;
            }
            int bad = PatternStream.verify(buf, seed, at, SCRATCH.get());
            if (bad >= 0) {
                mismatch(ctx, "echo differs at stream position " + (at + bad));
                return;
            }
            received = at + n;
            stats.bytesVerified.add(n);
        } finally {
            buf.release();
        }
        if (received == total && !complete) {
            complete = true;
            stats.verifiedComplete.increment();
            if (scenario != ClientScenario.HALF_CLOSE) {
                ctx.close();
            }
        }
    }

    private void mismatch(ChannelHandlerContext ctx, String what) {
        stats.mismatches.increment();
        stats.sample(scenario + " on " + ctx.channel() + ": " + what);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stats.clientClosed.increment();
        if (!complete) {
            stats.cutShort.increment();
        }
        ctx.fireChannelInactive();
    }

    String describe(Channel ch) {
        return scenario + " " + ch + " sent=" + sent + "/" + total + " received=" + received + " active=" + ch.isActive()
                + " writable=" + ch.isWritable() + " autoRead=" + ch.config().isAutoRead();
    }
}
