package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import io.netty.channel.unix.SegmentedDatagramPacket;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * UDP GSO and GRO: a {@link SegmentedDatagramPacket} leaves as one SENDMSG with a UDP_SEGMENT cmsg and arrives as
 * separate datagrams; with UDP_GRO on the receiving channel the kernel hands the segments over in one receive
 * (one buffer, with a UDP_GRO cmsg) and the channel splits them again before channelRead.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "UDP GSO/GRO are Linux calls; Windows refusals are in DatagramWindowsOptionsTest")
class DatagramSegmentationTest {
    private static final int SEGMENT = 1000;
    private static final int LENGTH = 10 * SEGMENT + 500;

    /** Records each datagram's bytes and the native address it was read into. */
    private static final class Record extends SimpleChannelInboundHandler<DatagramPacket> {
        final LinkedBlockingQueue<byte[]> bytes = new LinkedBlockingQueue<>();
        final List<Long> addresses = new ArrayList<>();

        Record() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            ByteBuf c = p.content();
            byte[] b = new byte[c.readableBytes()];
            c.getBytes(c.readerIndex(), b);
            synchronized (addresses) {
                addresses.add(DirectBuffers.address(c, c.readerIndex()));
            }
            bytes.add(b);
            p.release();
        }

        byte[] next() throws InterruptedException {
            byte[] b = bytes.poll(10, TimeUnit.SECONDS);
            assertNotNull(b, "datagram missing");
            return b;
        }
    }

    private static ByteBuf content() {
        ByteBuf b = Unpooled.directBuffer(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.writeByte(i / SEGMENT * 31 + i);
        }
        return b;
    }

    private static void expectSegments(Record r) throws InterruptedException {
        ByteBuf expected = content();
        try {
            for (int off = 0; off < LENGTH; off += SEGMENT) {
                int len = Math.min(SEGMENT, LENGTH - off);
                byte[] got = r.next();
                assertEquals(len, got.length, "segment at " + off);
                assertEquals(expected.slice(off, len), Unpooled.wrappedBuffer(got), "segment at " + off);
            }
        } finally {
            expected.release();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void gsoSendArrivesAsSeparateDatagrams(DriverKind kind) throws Exception {
        assumeTrue(ProactorDatagramChannel.isSegmentedDatagramPacketSupported(), "kernel without UDP_SEGMENT");
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        EventLoopGroup nio = TestDrivers.nio(1);
        DatagramChannel sender = null;
        DatagramChannel receiver = null;
        try {
            Record record = new Record();
            receiver = Datagrams.bind(nio, NioDatagramChannel.class, SocketProtocolFamily.INET, record);
            sender = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, new ChannelInboundHandlerAdapter());
            sender.writeAndFlush(new SegmentedDatagramPacket(content(), SEGMENT, receiver.localAddress())).sync();
            expectSegments(record);
        } finally {
            Datagrams.closeAll(sender, receiver);
            TestDrivers.shutdown(proactor, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void groReceivesSegmentsTogetherAndSplitsThem(DriverKind kind) throws Exception {
        assumeTrue(ProactorDatagramChannel.isSegmentedDatagramPacketSupported(), "kernel without UDP_SEGMENT");
        EventLoopGroup proactor = TestDrivers.proactor(kind, 1);
        DatagramChannel sender = null;
        DatagramChannel receiver = null;
        try {
            Record record = new Record();
            receiver = (DatagramChannel) new Bootstrap().group(proactor).channel(ProactorDatagramChannel.class)
                    .option(ProactorChannelOption.UDP_GRO, true)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(64 * 1024))
                    .handler(record)
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            assertTrue(receiver.config().getOption(ProactorChannelOption.UDP_GRO));
            sender = Datagrams.bind(proactor, ProactorDatagramChannel.class, SocketProtocolFamily.INET, new ChannelInboundHandlerAdapter());
            sender.writeAndFlush(new SegmentedDatagramPacket(content(), SEGMENT, receiver.localAddress())).sync();
            expectSegments(record);
            synchronized (record.addresses) {
                assertEquals(11, record.addresses.size());
                long first = record.addresses.get(0);
                for (int i = 0; i < 11; i++) {
                    // Without GRO each segment would have a read buffer of its own.
                    assertEquals(first + (long) i * SEGMENT, (long) record.addresses.get(i),
                            "segment " + i + " lies right after the previous one: all came in one receive (GRO)");
                }
            }
        } finally {
            Datagrams.closeAll(sender, receiver);
            TestDrivers.shutdown(proactor);
        }
    }
}
