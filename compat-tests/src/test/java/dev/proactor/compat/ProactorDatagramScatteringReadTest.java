package dev.proactor.compat;

import dev.proactor.netty.ProactorChannelOption;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.AbstractDatagramTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What epoll's {@code EpollDatagramScatteringReadTest} asks of its recvmmsg reads, asked of Proactor's batched
 * RECVMSG rounds: datagrams that queued up while AUTO_READ was off arrive in one read loop (more than one per
 * channelReadComplete), in order, each with its own length and sender although MAX_DATAGRAM_PAYLOAD_SIZE leaves
 * room for more; and a datagram far smaller than MAX_DATAGRAM_PAYLOAD_SIZE arrives intact. Both ends Proactor, as
 * epoll runs it with epoll on both ends (the receiving end is the one under test).
 */
public class ProactorDatagramScatteringReadTest extends AbstractDatagramTest {
    private static final int DATAGRAMS = 8;

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.proactorOnlyDatagram(socketInternetProtocalFamily());
    }

    @Test
    @Timeout(30)
    public void testQueuedDatagramsReadInOneLoop(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> queuedDatagrams(sb, cb, false));
    }

    @Test
    @Timeout(30)
    public void testQueuedDatagramsReadInOneLoopConnected(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> queuedDatagrams(sb, cb, true));
    }

    @Test
    @Timeout(30)
    public void testSmallDatagramInLargePayloadSize(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> smallDatagram(sb, cb, false));
    }

    @Test
    @Timeout(30)
    public void testSmallDatagramInLargePayloadSizeConnected(TestInfo testInfo) throws Throwable {
        run(testInfo, (sb, cb) -> smallDatagram(sb, cb, true));
    }

    private void queuedDatagrams(Bootstrap sb, Bootstrap cb, boolean connected) throws Throwable {
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<Integer> batches = new LinkedBlockingQueue<>();
        Channel cc = cb.handler(new ChannelInboundHandlerAdapter()).bind(newSocketAddress()).sync().channel();
        Channel sc = null;
        try {
            sb.option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(Long.BYTES * 4).maxMessagesPerRead(DATAGRAMS * 2))
                    .option(ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, Long.BYTES * 2)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        private int batch;

                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            batch++;
                            received.add(packet.content().readableBytes() == Long.BYTES
                                    ? new Object[] {packet.sender(), packet.content().readLong()}
                                    : new AssertionError("datagram of " + packet.content().readableBytes() + " bytes"));
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            if (batch > 0) {
                                batches.add(batch);
                            }
                            batch = 0;
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            received.add(cause);
                        }
                    });
            sc = sb.bind(newSocketAddress()).sync().channel();
            if (connected) {
                sc.connect(cc.localAddress()).sync();
            }
            InetSocketAddress to = (InetSocketAddress) sc.localAddress();
            List<ChannelFuture> writes = new ArrayList<>();
            for (long i = 0; i < DATAGRAMS; i++) {
                writes.add(cc.write(new DatagramPacket(cc.alloc().directBuffer(Long.BYTES).writeLong(i), to)));
            }
            cc.flush();
            for (ChannelFuture write : writes) {
                write.sync();
            }
            sc.config().setAutoRead(true);
            for (long i = 0; i < DATAGRAMS; i++) {
                Object next = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, () -> "timed out waiting for datagram");
                if (next instanceof Throwable) {
                    throw (Throwable) next;
                }
                Object[] datagram = (Object[]) next;
                assertEquals(cc.localAddress(), datagram[0], "sender");
                assertEquals(i, datagram[1], "datagrams in order");
            }
            // channelReadComplete follows the last channelRead on the event loop: wait until every datagram's
            // read loop has ended.
            int largest = 0;
            for (int seen = 0; seen < DATAGRAMS; ) {
                Integer batch = batches.poll(10, TimeUnit.SECONDS);
                assertNotNull(batch, "timed out waiting for channelReadComplete");
                seen += batch;
                largest = Math.max(largest, batch);
            }
            assertTrue(largest > 1, "queued datagrams took one read loop each");
        } finally {
            cc.close().sync();
            if (sc != null) {
                sc.close().sync();
            }
        }
    }

    private void smallDatagram(Bootstrap sb, Bootstrap cb, boolean connected) throws Throwable {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        Channel cc = cb.handler(new ChannelInboundHandlerAdapter()).bind(newSocketAddress()).sync().channel();
        Channel sc = null;
        try {
            sc = sb.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(1400))
                    .option(ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1400)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            received.add(new Object[] {packet.sender(), ByteBufUtil.getBytes(packet.content())});
                        }

                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            received.add(cause);
                        }
                    }).bind(newSocketAddress()).sync().channel();
            if (connected) {
                sc.connect(cc.localAddress()).sync();
            }
            SocketAddress to = sc.localAddress();
            cc.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), (InetSocketAddress) to)).sync();
            Object next = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "timed out waiting for the datagram");
            if (next instanceof Throwable) {
                throw (Throwable) next;
            }
            Object[] datagram = (Object[]) next;
            assertEquals(cc.localAddress(), datagram[0], "sender");
            assertArrayEquals(bytes, (byte[]) datagram[1]);
        } finally {
            cc.close().sync();
            if (sc != null) {
                sc.close().sync();
            }
        }
    }
}
