package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several datagrams per read loop: with datagrams waiting, a loop reads exactly maxMessagesPerRead of them
 * (rounds of 1, 1, 2, 4, 8 ... receives); with autoRead off, each read() delivers one datagram, as in NIO.
 */
class DatagramReadLoopTest {
    private static final int COUNT = 100;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void loopsReadMaxMessagesPerReadWhenDatagramsWait(DriverKind kind) throws Exception {
        assertEquals(loops(16, 16, 16, 16, 16, 16, 4), readLoops(kind, 16));
        assertEquals(loops(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5), readLoops(kind, 5));
        assertEquals(Collections.nCopies(COUNT, 1), readLoops(kind, 1));
    }

    private static List<Integer> loops(Integer... sizes) {
        return List.of(sizes);
    }

    /** Sends COUNT datagrams while the channel does not read, then turns autoRead on; returns the loop sizes. */
    private static List<Integer> readLoops(DriverKind kind, int maxMessagesPerRead) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        DatagramChannel ch = null;
        try {
            Datagrams.Collector collector = new Datagrams.Collector(COUNT);
            ch = (DatagramChannel) new io.netty.bootstrap.Bootstrap().group(group).channel(ProactorDatagramChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048).maxMessagesPerRead(maxMessagesPerRead))
                    .option(ChannelOption.SO_RCVBUF, Datagrams.BIG_RCVBUF)
                    .handler(collector)
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            sendAll(ch.localAddress());
            ch.config().setAutoRead(true);
            assertTrue(collector.await(10), "received " + collector.count() + " of " + COUNT);
            assertEquals(0, collector.corrupt);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (collector.loops.stream().mapToInt(Integer::intValue).sum() < COUNT && System.nanoTime() < deadline) {
                Thread.sleep(1); // channelReadComplete of the last loop follows its channelRead
            }
            return new ArrayList<>(collector.loops);
        } finally {
            Datagrams.closeAll(ch);
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void withoutAutoReadEachReadDeliversOneDatagram(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        DatagramChannel ch = null;
        try {
            Datagrams.Collector collector = new Datagrams.Collector(COUNT);
            ch = (DatagramChannel) new io.netty.bootstrap.Bootstrap().group(group).channel(ProactorDatagramChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_RCVBUF, Datagrams.BIG_RCVBUF)
                    .handler(collector)
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            sendAll(ch.localAddress());
            for (int i = 1; i <= 3; i++) {
                ch.read();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (collector.count() < i && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                Thread.sleep(20);
                assertEquals(i, collector.count(), "datagrams delivered after " + i + " read() calls");
            }
            assertEquals(List.of(1, 1, 1), collector.loops);
        } finally {
            Datagrams.closeAll(ch);
            TestDrivers.shutdown(group);
        }
    }

    private static void sendAll(InetSocketAddress to) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            for (int i = 0; i < COUNT; i++) {
                io.netty.buffer.ByteBuf b = Datagrams.numbered(i);
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                s.send(new java.net.DatagramPacket(bytes, bytes.length, to));
            }
        }
        Thread.sleep(50); // all queued in the receiving socket
    }
}
