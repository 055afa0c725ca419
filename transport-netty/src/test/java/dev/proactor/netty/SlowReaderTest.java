package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 64 MiB through a slow reader: writability turns false, then true again, and every byte arrives in order. */
class SlowReaderTest {
    private static final long TOTAL = 64L << 20;
    private static final int CHUNK = 64 * 1024;

    static byte pattern(long pos) {
        return (byte) (pos ^ (pos >>> 8) ^ (pos >>> 16) ^ (pos >>> 24));
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void sixtyFourMegabytesThroughASlowReader(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<long[]> readerResult = CompletableFuture.supplyAsync(() -> slowRead(listener));
            Writer writer = new Writer();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                    .handler(writer)
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort())).sync().channel();
            long[] r;
            try {
                r = readerResult.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                String state = ch.eventLoop().submit(() -> "written=" + writer.written + " flips=" + writer.flips.size()
                        + " writable=" + ch.isWritable() + " writeInFlight=" + ((ProactorSocketChannel) ch).isWriteInFlight()
                        + " pendingBytes=" + ch.unsafe().outboundBuffer().totalPendingWriteBytes()
                        + " outboundSize=" + ch.unsafe().outboundBuffer().size()).get(5, TimeUnit.SECONDS);
                throw new AssertionError("reader did not finish: " + state, e);
            }
            assertTrue(writer.done.get(10, TimeUnit.SECONDS));
            assertEquals(TOTAL, r[0], "bytes received");
            assertEquals(0, r[1], "bytes out of order or corrupted");
            List<Boolean> flips = writer.flips;
            assertTrue(flips.size() >= 2, "writability never flipped: " + flips);
            assertEquals(Boolean.FALSE, flips.get(0), flips.toString());
            assertTrue(flips.contains(Boolean.TRUE), flips.toString());
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /** Reads slowly at first (sleeping between small reads), then at full speed; returns {bytes, mismatches}. */
    private static long[] slowRead(ServerSocket listener) {
        try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
            byte[] buf = new byte[16 * 1024];
            long pos = 0;
            long bad = 0;
            int reads = 0;
            for (;;) {
                int n = in.read(buf);
                if (n < 0) {
                    return new long[] {pos, bad};
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != pattern(pos + i)) {
                        bad++;
                    }
                }
                pos += n;
                if (++reads < 400) {
                    Thread.sleep(2);
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private static final class Writer extends ChannelInboundHandlerAdapter {
        final List<Boolean> flips = new CopyOnWriteArrayList<>();
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        private final byte[] scratch = new byte[CHUNK];
        private long written;
        private int chunks;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            writeMore(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            flips.add(ctx.channel().isWritable());
            writeMore(ctx);
        }

        private void writeMore(ChannelHandlerContext ctx) {
            while (ctx.channel().isWritable() && written < TOTAL) {
                int n = (int) Math.min(CHUNK, TOTAL - written);
                // Mostly direct buffers; every fourth a heap buffer, which the channel copies.
                ByteBuf buf = chunks++ % 4 == 3 ? Unpooled.buffer(n) : ctx.alloc().directBuffer(n);
                for (int i = 0; i < n; i++) {
                    scratch[i] = pattern(written + i);
                }
                // One bulk write: paranoid leak detection records a trace on every ByteBuf call.
                buf.writeBytes(scratch, 0, n);
                written += n;
                if (written == TOTAL) {
                    ctx.writeAndFlush(buf).addListener((ChannelFutureListener) f -> {
                        done.complete(f.isSuccess());
                        ctx.close();
                    });
                    return;
                }
                // Flush every few chunks so that gathering sends carry several buffers.
                if (chunks % 3 == 0) {
                    ctx.writeAndFlush(buf);
                } else {
                    ctx.write(buf);
                }
            }
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
