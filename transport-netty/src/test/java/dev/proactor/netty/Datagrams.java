package dev.proactor.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** Test helpers for datagram channels: echo and collecting handlers, numbered payloads, loopback addresses. */
final class Datagrams {
    static final int BIG_RCVBUF = 4 << 20;

    private Datagrams() {
    }

    static InetAddress loopback(SocketProtocolFamily family) {
        try {
            return family == SocketProtocolFamily.INET6 ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static DatagramChannel bind(EventLoopGroup group, Class<? extends DatagramChannel> type, SocketProtocolFamily family,
                                ChannelHandler handler) throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group)
                .channelFactory(() -> newChannel(type, family))
                .option(ChannelOption.SO_RCVBUF, BIG_RCVBUF)
                .option(ChannelOption.SO_SNDBUF, BIG_RCVBUF)
                .handler(handler)
                .bind(new InetSocketAddress(loopback(family), 0)).sync().channel();
    }

    static DatagramChannel newChannel(Class<? extends DatagramChannel> type, SocketProtocolFamily family) {
        try {
            return type.getConstructor(SocketProtocolFamily.class).newInstance(family);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The size of the payload numbered {@code index}: 4 to 1403 bytes. */
    static int sizeOf(int index) {
        return 4 + (index * 37) % 1400;
    }

    static ByteBuf numbered(int index) {
        return numbered(index, sizeOf(index));
    }

    /** A payload that names its number: 4-byte index, then bytes derived from it, {@code size} >= 4 in total. */
    static ByteBuf numbered(int index, int size) {
        byte[] b = new byte[size];
        new Random(index).nextBytes(b);
        b[0] = (byte) (index >>> 24);
        b[1] = (byte) (index >>> 16);
        b[2] = (byte) (index >>> 8);
        b[3] = (byte) index;
        return Unpooled.wrappedBuffer(b);
    }

    /** The index of a {@link #numbered} payload, or -1 if its bytes are not the expected ones. */
    static int check(ByteBuf content) {
        if (content.readableBytes() < 4) {
            return -1;
        }
        int index = content.getInt(content.readerIndex());
        int size = sizeOf(index);
        if (index < 0 || content.readableBytes() != size) {
            return -1;
        }
        byte[] got = new byte[size];
        content.getBytes(content.readerIndex(), got);
        ByteBuf expected = numbered(index, size);
        boolean same = Arrays.equals(got, expected.array());
        expected.release();
        return same ? index : -1;
    }

    /** Echoes every datagram to its sender; flushes once per read loop. */
    @ChannelHandler.Sharable
    static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ctx.write(new DatagramPacket(p.content().retain(), p.sender()));
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }

    /** Collects numbered datagrams: the indexes seen, duplicates, corrupt ones, read loop sizes. */
    static final class Collector extends SimpleChannelInboundHandler<DatagramPacket> {
        final ConcurrentHashMap<Integer, InetSocketAddress> seen = new ConcurrentHashMap<>();
        final CopyOnWriteArrayList<Integer> loops = new CopyOnWriteArrayList<>();
        final CopyOnWriteArrayList<Throwable> errors = new CopyOnWriteArrayList<>();
        volatile int duplicates;
        volatile int corrupt;
        private int inLoop;
        private final CountDownLatch done;

        Collector(int expected) {
            this.done = new CountDownLatch(expected);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            inLoop++;
            int index = check(p.content());
            if (index < 0) {
                corrupt++;
            } else if (seen.putIfAbsent(index, p.sender()) != null) {
                duplicates++;
            } else {
                done.countDown();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            loops.add(inLoop);
            inLoop = 0;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }

        boolean await(long seconds) throws InterruptedException {
            return done.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
        }

        long count() {
            return seen.size();
        }
    }

    static void closeAll(Channel... channels) {
        for (Channel c : channels) {
            if (c != null) {
                c.close().syncUninterruptibly();
            }
        }
    }
}
