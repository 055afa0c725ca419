package dev.proactor.reliability.faults;

import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.reliability.chaos.PatternStream;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that does not read: a server that writes only while the channel is writable sees writability turn
 * false, and its outbound buffer stays near the high watermark however long the peer stalls (sampled on the event
 * loop every 20 ms). When the peer reads again, writability comes back and every byte arrives, in order.
 */
class NeverReadingPeerTest {
    private static final int LOW = 32 * 1024;
    private static final int HIGH = 128 * 1024;
    private static final int CHUNK = 16 * 1024;
    private static final long TOTAL = 32L << 20;
    private static final long STALL_MILLIS = 2_000;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void writeBufferStaysBoundedWhileThePeerDoesNotRead(DriverKind kind) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        CompletableFuture<Writer> writerFuture = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW, HIGH))
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void handlerAdded(ChannelHandlerContext ctx) {
                            Writer w = new Writer();
                            ctx.pipeline().replace(this, "writer", w);
                            writerFuture.complete(w);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket()) {
                peer.setReceiveBufferSize(16 * 1024);
                peer.connect(server.localAddress());
                Writer w = writerFuture.get(5, TimeUnit.SECONDS);

                long maxPending = 0;
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
                while (System.nanoTime() < end) {
                    maxPending = Math.max(maxPending, w.ctx.executor().submit(w::pending).get(5, TimeUnit.SECONDS));
                    Thread.sleep(20);
                }
                long writtenWhileStalled = w.ctx.executor().submit(() -> w.written).get();
                boolean writableWhileStalled = w.ctx.channel().isWritable();
                maxPending = Math.max(maxPending, w.maxPending);
                System.out.println("never-reading peer on " + kind + ": " + writtenWhileStalled
                        + " bytes queued or sent in " + STALL_MILLIS + " ms, outbound buffer at most " + maxPending
                        + " bytes (high watermark " + HIGH + "), writable=" + writableWhileStalled);
                assertTrue(!writableWhileStalled && w.unwritable >= 1, "writability never turned false");
                assertTrue(maxPending <= HIGH + CHUNK, "outbound buffer grew to " + maxPending);
                assertTrue(writtenWhileStalled < TOTAL / 4, "the writer did not stop: " + writtenWhileStalled);

                long received = readAll(peer.getInputStream());
                assertEquals(TOTAL, received);
                assertTrue(w.writableAgain >= 1, "writability never came back");
                assertTrue(w.maxPending <= HIGH + CHUNK, "outbound buffer grew to " + w.maxPending);
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static long readAll(InputStream in) throws Exception {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            ByteBuf b = Unpooled.wrappedBuffer(buf, 0, n);
            int bad = PatternStream.verify(b, 7, total, PatternStream.newScratch());
            assertEquals(-1, bad, "byte " + (total + bad) + " differs");
            total += n;
        }
        return total;
    }

    /** Writes the pattern while writable, up to TOTAL, then closes. */
    private static final class Writer extends ChannelInboundHandlerAdapter {
        ChannelHandlerContext ctx;
        long written;
        long maxPending;
        int unwritable;
        int writableAgain;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            writeWhileWritable();
            ctx.fireChannelActive();
        }

        long pending() {
            return ctx.channel().unsafe().outboundBuffer() == null ? 0
                    : ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
        }

        private void writeWhileWritable() {
            while (written < TOTAL && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, TOTAL - written);
                ByteBuf buf = ctx.alloc().directBuffer(n);
                PatternStream.write(buf, 7, written, n);
                written += n;
                ctx.writeAndFlush(buf);
                maxPending = Math.max(maxPending, pending());
            }
            if (written == TOTAL) {
                written++; // once
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                writableAgain++;
                writeWhileWritable();
            } else {
                unwritable++;
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}
