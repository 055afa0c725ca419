package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.CharsetUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.channels.NotYetConnectedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's datagram semantics, as the epoll transport has them: a datagram larger than the read buffer arrives
 * truncated to the buffer (recvmsg's MSG_TRUNC; no exception, the channel goes on), MAX_DATAGRAM_PAYLOAD_SIZE
 * caps a receive, ECONNREFUSED on a connected socket is a PortUnreachableException, an unconnected channel
 * refuses plain ByteBufs with NotYetConnectedException, and an empty datagram is not sent.
 */
class DatagramSemanticsTest {

    /** Receives DatagramPackets into a queue as copies of their content. */
    private static final class Received extends SimpleChannelInboundHandler<DatagramPacket> {
        final LinkedBlockingQueue<byte[]> packets = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            byte[] b = new byte[p.content().readableBytes()];
            p.content().readBytes(b);
            packets.add(b);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error.complete(cause);
        }

        byte[] next() throws InterruptedException {
            byte[] b = packets.poll(10, TimeUnit.SECONDS);
            assertNotNull(b, "no datagram received");
            return b;
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** Bad input: a datagram larger than UDP allows fails its own write naming EMSGSIZE; the buffer is released and the channel goes on. */
    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void oversizedDatagramFailsItsWriteWithEmsgsize(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        DatagramChannel receiver = null;
        DatagramChannel sender = null;
        try {
            Received received = new Received();
            receiver = (DatagramChannel) new Bootstrap().group(proactor).channel(ProactorDatagramChannel.class)
                    .handler(received)
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            sender = (DatagramChannel) new Bootstrap().group(proactor).channel(ProactorDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            InetSocketAddress to = receiver.localAddress();
            ByteBuf oversized = sender.alloc().directBuffer(70_000).writeZero(70_000);
            ChannelFuture f = sender.writeAndFlush(new DatagramPacket(oversized, to)).await();
            assertFalse(f.isSuccess(), "a 70,000-byte UDP datagram cannot be sent");
            assertTrue(f.cause().getMessage().contains("EMSGSIZE"), () -> "cause: " + f.cause());
            assertEquals(0, oversized.refCnt(), "the failed datagram's buffer is released");
            assertTrue(sender.isOpen(), "the channel stays open");
            sender.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("after", CharsetUtil.US_ASCII), to)).sync();
            assertEquals("after", new String(received.next(), CharsetUtil.US_ASCII));
        } finally {
            Datagrams.closeAll(sender, receiver);
            TestDrivers.shutdown(proactor);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void datagramLargerThanTheReadBufferArrivesTruncated(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        EventLoopGroup nio = TestDrivers.nio(1);
        DatagramChannel receiver = null;
        DatagramChannel sender = null;
        try {
            Received received = new Received();
            receiver = (DatagramChannel) new Bootstrap().group(proactor).channel(ProactorDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1024))
                    .handler(received)
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            sender = Datagrams.bind(nio, NioDatagramChannel.class, SocketProtocolFamily.INET, new ChannelInboundHandlerAdapter());
            InetSocketAddress to = receiver.localAddress();
            byte[] big = pattern(3000);
            sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(big), to)).sync();
            byte[] got = received.next();
            assertEquals(1024, got.length, "truncated to the read buffer");
            assertEquals(Unpooled.wrappedBuffer(big, 0, 1024), Unpooled.wrappedBuffer(got));

            // The channel goes on: the next datagram is whole, and no exception was fired.
            sender.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("next", CharsetUtil.US_ASCII), to)).sync();
            assertEquals("next", new String(received.next(), CharsetUtil.US_ASCII));
            assertFalse(received.error.isDone(), () -> "exception fired: " + received.error.getNow(null));

            // MAX_DATAGRAM_PAYLOAD_SIZE caps each receive below the buffer's size.
            receiver.config().setOption(ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 100);
            sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(big), to)).sync();
            // The receive already armed before the option changed still takes 1024 bytes; the next ones 100.
            byte[] first = received.next();
            assertTrue(first.length == 1024 || first.length == 100, "length " + first.length);
            sender.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(big), to)).sync();
            assertEquals(100, received.next().length);
        } finally {
            Datagrams.closeAll(sender, receiver);
            TestDrivers.shutdown(proactor, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void connectedToAClosedPortReadsPortUnreachable(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        DatagramChannel ch = null;
        try {
            int closedPort;
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, Datagrams.loopback(SocketProtocolFamily.INET))) {
                closedPort = s.getLocalPort();
            }
            Received received = new Received();
            ch = (DatagramChannel) new Bootstrap().group(proactor).channel(ProactorDatagramChannel.class).handler(received)
                    .connect(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), closedPort)).sync().channel();
            assertTrue(ch.isActive());
            assertTrue(ch.isConnected());
            ch.writeAndFlush(Unpooled.copiedBuffer("test", CharsetUtil.US_ASCII)).sync();
            Throwable error = received.error.get(10, TimeUnit.SECONDS);
            assertInstanceOf(PortUnreachableException.class, error);
            assertTrue(ch.isOpen(), "the channel stays open");
        } finally {
            Datagrams.closeAll(ch);
            TestDrivers.shutdown(proactor);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void plainByteBufNeedsAConnectedChannel(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        DatagramChannel ch = null;
        DatagramChannel peer = null;
        try {
            Received received = new Received();
            peer = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, received);
            ch = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, new ChannelInboundHandlerAdapter());
            ChannelFuture f = ch.writeAndFlush(Unpooled.copiedBuffer("x", CharsetUtil.US_ASCII)).await();
            assertInstanceOf(NotYetConnectedException.class, f.cause());

            ch.connect(peer.localAddress()).sync();
            ch.writeAndFlush(Unpooled.copiedBuffer("connected", CharsetUtil.US_ASCII)).sync();
            assertEquals("connected", new String(received.next(), CharsetUtil.US_ASCII));
            // An empty datagram completes its write without being sent (as epoll); the next one arrives.
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).sync();
            ch.writeAndFlush(Unpooled.copiedBuffer("after", CharsetUtil.US_ASCII)).sync();
            assertEquals("after", new String(received.next(), CharsetUtil.US_ASCII));

            ch.disconnect().sync();
            assertFalse(ch.isConnected());
            assertTrue(ch.isOpen());
            f = ch.writeAndFlush(Unpooled.copiedBuffer("x", CharsetUtil.US_ASCII)).await();
            assertInstanceOf(NotYetConnectedException.class, f.cause());
        } finally {
            Datagrams.closeAll(ch, peer);
            TestDrivers.shutdown(proactor);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void heapAndCompositeContentIsSent(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        DatagramChannel ch = null;
        DatagramChannel peer = null;
        try {
            Received received = new Received();
            peer = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, received);
            ch = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, new ChannelInboundHandlerAdapter());
            InetSocketAddress to = peer.localAddress();
            ch.writeAndFlush(new DatagramPacket(Unpooled.copiedBuffer("heap", CharsetUtil.US_ASCII), to)).sync();
            ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.directBuffer().writeBytes("comp".getBytes(CharsetUtil.US_ASCII)),
                    Unpooled.copiedBuffer("osite", CharsetUtil.US_ASCII));
            ch.writeAndFlush(new io.netty.channel.DefaultAddressedEnvelope<>(composite, to)).sync();
            assertEquals("heap", new String(received.next(), CharsetUtil.US_ASCII));
            assertEquals("composite", new String(received.next(), CharsetUtil.US_ASCII));
        } finally {
            Datagrams.closeAll(ch, peer);
            TestDrivers.shutdown(proactor);
        }
    }
}
