package dev.proactor.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** An echo server handler and a client that sends bytes and collects the echo. */
final class EchoHandlers {
    private EchoHandlers() {
    }

    @ChannelHandler.Sharable
    static final class EchoServer extends ChannelInboundHandlerAdapter {
        static final EchoServer INSTANCE = new EchoServer(false);
        /** Also calls read() from channelRead, as proxies do: must not disturb the read loop in progress. */
        static final EchoServer EAGER_READ = new EchoServer(true);

        private final boolean readInChannelRead;

        private EchoServer(boolean readInChannelRead) {
            this.readInChannelRead = readInChannelRead;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
            if (readInChannelRead) {
                ctx.read();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Sends {@code data} in chunks of random sizes (direct, heap, composite) once active; completes with what came back. */
    static final class EchoClient extends ChannelInboundHandlerAdapter {
        final byte[] data;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();
        private final byte[] got;
        private int gotCount;
        private final long seed;

        EchoClient(byte[] data, long seed) {
            this.data = data;
            this.got = new byte[data.length];
            this.seed = seed;
        }

        static byte[] randomBytes(int n, long seed) {
            byte[] b = new byte[n];
            new Random(seed).nextBytes(b);
            return b;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Random r = new Random(seed);
            int off = 0;
            while (off < data.length) {
                int n = Math.min(data.length - off, 1 + r.nextInt(64 * 1024));
                ByteBuf buf;
                switch (r.nextInt(3)) {
                    case 0:
                        buf = ctx.alloc().directBuffer(n).writeBytes(data, off, n);
                        break;
                    case 1:
                        buf = Unpooled.buffer(n).writeBytes(data, off, n);
                        break;
                    default:
                        // Composite of two direct parts: the channel copies it into one direct buffer.
                        int half = n / 2;
                        buf = ctx.alloc().compositeDirectBuffer()
                                .addComponent(true, ctx.alloc().directBuffer(half).writeBytes(data, off, half))
                                .addComponent(true, ctx.alloc().directBuffer(n - half).writeBytes(data, off + half, n - half));
                        break;
                }
                off += n;
                if (r.nextInt(4) == 0) {
                    ctx.writeAndFlush(buf);
                } else {
                    ctx.write(buf);
                }
            }
            ctx.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                if (gotCount + n > got.length) {
                    received.completeExceptionally(new AssertionError("more bytes than sent: " + (gotCount + n)));
                    return;
                }
                buf.readBytes(got, gotCount, n);
                gotCount += n;
                if (gotCount == got.length) {
                    received.complete(got);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            received.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.completeExceptionally(new AssertionError("closed after " + gotCount + " of " + got.length + " bytes"));
        }
    }
}
