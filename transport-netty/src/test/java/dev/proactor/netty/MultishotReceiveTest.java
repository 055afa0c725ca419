package dev.proactor.netty;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Stream receives on io_uring with provided buffers ({@link ProactorIoHandlerConfig#withRecvBufferRing}): one
 * multishot RECV per channel. Every filled ring buffer is copied and given back to the kernel at once (none stays
 * handed out), the bytes arrive whole and in order even when the ring runs dry (ENOBUFS), and closing a channel or
 * the event loop while the receive is armed waits for its last completion.
 */
class MultishotReceiveTest {
    private static final int BUFFERS = 8;
    private static final int BUFFER_SIZE = 512;

    private EventLoopGroup group;

    @BeforeEach
    void requireIoUring() {
        assumeTrue(Proactor.isAvailable(DriverKind.IO_URING), "io_uring is not available");
    }

    private EventLoopGroup newGroup() {
        return new ProactorEventLoopGroup(1, ProactorIoHandlerConfig.defaults().withDriverKind(DriverKind.IO_URING)
                .withRecvBufferRing(BUFFERS, BUFFER_SIZE));
    }

    private static Channel echoServer(EventLoopGroup group, LinkedBlockingQueue<ProactorSocketChannel> children)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add((ProactorSocketChannel) ch);
                        ch.pipeline().addLast(EchoHandlers.EchoServer.INSTANCE);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** A client that collects {@code expected} bytes and completes with them. */
    private static Channel collector(EventLoopGroup group, Channel server, int expected, CompletableFuture<byte[]> done)
            throws InterruptedException {
        ByteBuf received = Unpooled.buffer(expected);
        return new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        received.writeBytes(b);
                        b.release();
                        if (received.readableBytes() >= expected) {
                            byte[] out = new byte[received.readableBytes()];
                            received.readBytes(out);
                            done.complete(out);
                        }
                    }
                })
                .connect(server.localAddress()).sync().channel();
    }

    /** A server whose children record what they read; {@code autoReadOffOnRead} turns AUTO_READ off in channelRead. */
    private static Channel recordingServer(EventLoopGroup group, LinkedBlockingQueue<ProactorSocketChannel> children,
            LinkedBlockingQueue<ByteBuf> reads, boolean autoReadOffOnRead) throws InterruptedException {
        return recordingServer(group, children, reads, autoReadOffOnRead, new ServerBootstrap());
    }

    /** The same, with the children's options already set on {@code bootstrap}. */
    private static Channel recordingServer(EventLoopGroup group, LinkedBlockingQueue<ProactorSocketChannel> children,
            LinkedBlockingQueue<ByteBuf> reads, boolean autoReadOffOnRead, ServerBootstrap bootstrap)
            throws InterruptedException {
        return bootstrap.group(group).channel(ProactorServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        children.add((ProactorSocketChannel) ch);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (autoReadOffOnRead) {
                                    ctx.channel().config().setAutoRead(false);
                                }
                                reads.add((ByteBuf) msg);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** A recording server, a client connected to it, and the server's side of that connection. */
    private record Recorded(Channel server, Channel client, ProactorSocketChannel child, LinkedBlockingQueue<ByteBuf> reads) {
    }

    private static Recorded connectRecorded(EventLoopGroup group, boolean autoReadOffOnRead, ServerBootstrap bootstrap)
            throws InterruptedException {
        LinkedBlockingQueue<ProactorSocketChannel> children = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ByteBuf> reads = new LinkedBlockingQueue<>();
        Channel server = recordingServer(group, children, reads, autoReadOffOnRead, bootstrap);
        Channel client = client(group, server);
        ProactorSocketChannel child = children.poll(5, TimeUnit.SECONDS);
        assertNotNull(child);
        return new Recorded(server, client, child, reads);
    }

    private static Channel client(EventLoopGroup group, Channel server) throws InterruptedException {
        return new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .connect(server.localAddress()).sync().channel();
    }

    private static int handedOut(Channel ch) throws Exception {
        return ch.eventLoop().submit(() -> {
            BufferRing ring = ((ProactorSocketChannel) ch).recvRing();
            return ring == null ? -1 : ring.handedOut();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void bytesArriveWholeAndInOrderAndEveryBufferGoesBack() throws Exception {
        group = newGroup();
        try {
            LinkedBlockingQueue<ProactorSocketChannel> children = new LinkedBlockingQueue<>();
            Channel server = echoServer(group, children);
            int connections = 4;
            int size = 256 * 1024; // far more than the ring holds: it runs dry and the receives start again
            List<CompletableFuture<byte[]>> echoes = new ArrayList<>();
            List<byte[]> sent = new ArrayList<>();
            List<Channel> clients = new ArrayList<>();
            Random random = new Random(42);
            for (int i = 0; i < connections; i++) {
                CompletableFuture<byte[]> done = new CompletableFuture<>();
                Channel c = collector(group, server, size, done);
                byte[] data = new byte[size];
                random.nextBytes(data);
                sent.add(data);
                echoes.add(done);
                clients.add(c);
            }
            for (int i = 0; i < connections; i++) {
                clients.get(i).writeAndFlush(Unpooled.wrappedBuffer(sent.get(i)));
            }
            for (int i = 0; i < connections; i++) {
                assertArrayEquals(sent.get(i), echoes.get(i).get(30, TimeUnit.SECONDS), "connection " + i);
            }
            ProactorSocketChannel child = children.poll(5, TimeUnit.SECONDS);
            assertNotNull(child.eventLoop().submit(child::recvRing).get(), "the child should use the ring");
            assertEquals(0, handedOut(child), "a ring buffer was not given back");
            long shortages = 0;
            for (ProactorSocketChannel ch : children) {
                shortages += ch.eventLoop().submit(() -> ch.recvRingShortages).get();
            }
            shortages += child.eventLoop().submit(() -> child.recvRingShortages).get();
            System.out.println("multishot receives that ran out of ring buffers: " + shortages);
            org.junit.jupiter.api.Assertions.assertTrue(shortages > 0, "the ring never ran dry: ENOBUFS untested");
            for (Channel c : clients) {
                c.close().sync();
            }
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /**
     * Bulk data leaves the ring: after a completion that filled a ring buffer with more waiting, the channel reads
     * into its own buffers of Netty's guessed size (reads larger than a ring buffer, far fewer than one per ring
     * buffer), and once its messages are small again the multishot receive is armed again.
     */
    @Test
    void bulkDataIsReadIntoTheChannelsOwnBuffersAndSmallMessagesGoBackToTheRing() throws Exception {
        group = newGroup();
        try {
            Recorded r = connectRecorded(group, false, new ServerBootstrap());
            Channel client = r.client();
            ProactorSocketChannel child = r.child();
            LinkedBlockingQueue<ByteBuf> reads = r.reads();
            byte[] data = new byte[1024 * 1024];
            new Random(11).nextBytes(data);
            client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            ByteBuf all = Unpooled.buffer(data.length);
            int readCount = 0;
            int largest = 0;
            while (all.readableBytes() < data.length) {
                ByteBuf next = reads.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "only " + all.readableBytes() + " of " + data.length + " bytes arrived");
                readCount++;
                largest = Math.max(largest, next.readableBytes());
                all.writeBytes(next);
                next.release();
            }
            byte[] got = new byte[data.length];
            all.readBytes(got);
            assertArrayEquals(data, got);
            assertTrue(largest > BUFFER_SIZE, "no read was larger than a ring buffer (" + largest + " bytes)");
            assertTrue(readCount < data.length / BUFFER_SIZE / 4,
                    readCount + " reads for " + data.length + " bytes: the bulk data stayed in the ring");
            assertEquals(0, handedOut(child));

            // Small messages, one at a time: Netty's guess shrinks, and the ring takes over again.
            for (int i = 0; i < 64 && child.eventLoop().submit(child::isBulkReading).get(5, TimeUnit.SECONDS); i++) {
                client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) i})).sync();
                ByteBuf small = reads.poll(10, TimeUnit.SECONDS);
                assertNotNull(small);
                assertEquals(1, small.readableBytes());
                small.release();
            }
            assertFalse(child.eventLoop().submit(child::isBulkReading).get(5, TimeUnit.SECONDS),
                    "still reading in bulk after 64 one-byte messages");
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42})).sync();
            ByteBuf last = reads.poll(10, TimeUnit.SECONDS);
            assertNotNull(last);
            last.release();
            assertTrueOnLoop(child, child::isMultishotReceiveArmed, "the multishot receive was not armed again");
            client.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /** A RecvByteBufAllocator other than Netty's adaptive default says how much a read takes: no ring for it. */
    @Test
    void aChannelWithItsOwnReceiveSizesReadsWithSingleReceivesOfThatSize() throws Exception {
        group = newGroup();
        try {
            Recorded r = connectRecorded(group, false,
                    new ServerBootstrap().childOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(100)));
            Channel server = r.server();
            Channel client = r.client();
            ProactorSocketChannel child = r.child();
            LinkedBlockingQueue<ByteBuf> reads = r.reads();
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[BUFFER_SIZE])).sync();
            int received = 0;
            while (received < BUFFER_SIZE) {
                ByteBuf next = reads.poll(10, TimeUnit.SECONDS);
                assertNotNull(next);
                assertTrue(next.readableBytes() <= 100, "a read of " + next.readableBytes() + " bytes");
                received += next.readableBytes();
                next.release();
            }
            assertFalse(child.eventLoop().submit(child::isMultishotReceiveArmed).get(5, TimeUnit.SECONDS));
            client.close().sync();
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @Test
    void closeWithTheMultishotReceiveArmed() throws Exception {
        group = newGroup();
        try {
            LinkedBlockingQueue<ProactorSocketChannel> children = new LinkedBlockingQueue<>();
            Channel server = echoServer(group, children);
            CompletableFuture<byte[]> first = new CompletableFuture<>();
            Channel client = collector(group, server, 3, first);
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
            assertArrayEquals(new byte[] {1, 2, 3}, first.get(10, TimeUnit.SECONDS));
            ProactorSocketChannel child = children.poll(5, TimeUnit.SECONDS);
            assertNotNull(child);
            assertTrueOnLoop(child, child::isReadInFlight, "the multishot receive should stay armed between reads");

            child.close().sync(); // cancels the armed receive and waits for its last completion
            assertFalse(child.eventLoop().submit(child::isReadInFlight).get(5, TimeUnit.SECONDS));
            assertEquals(0, handedOut(child));
            assertTrue(client.closeFuture().await(10, TimeUnit.SECONDS), "the peer sees the close");

            // The ring goes on serving the loop's other channels.
            CompletableFuture<byte[]> again = new CompletableFuture<>();
            Channel second = collector(group, server, 4, again);
            second.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {9, 8, 7, 6}));
            assertArrayEquals(new byte[] {9, 8, 7, 6}, again.get(10, TimeUnit.SECONDS));
            // Left armed on purpose: the group's shutdown closes it, and the driver frees the ring only afterwards.
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @Test
    void autoReadOffStopsTheMultishotReceiveAndReadResumes() throws Exception {
        group = newGroup();
        try {
            LinkedBlockingQueue<ProactorSocketChannel> children = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<ByteBuf> reads = new LinkedBlockingQueue<>();
            Channel server = recordingServer(group, children, reads, false);
            Channel client = client(group, server);
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).sync();
            ByteBuf one = reads.poll(10, TimeUnit.SECONDS);
            assertNotNull(one);
            one.release();
            ProactorSocketChannel child = children.poll(5, TimeUnit.SECONDS);
            child.config().setAutoRead(false);
            // The armed receive is cancelled; once its last completion is in, nothing reads.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (child.eventLoop().submit(child::isReadInFlight).get() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(child.eventLoop().submit(child::isReadInFlight).get(), "the receive was not cancelled");
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {2, 3})).sync();
            assertNull(reads.poll(200, TimeUnit.MILLISECONDS), "read although AUTO_READ is off");
            child.read();
            ByteBuf two = reads.poll(10, TimeUnit.SECONDS);
            assertNotNull(two);
            assertEquals(2, two.readableBytes());
            two.release();
            assertEquals(0, handedOut(child));
            client.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /**
     * AUTO_READ turned off inside channelRead: the completions the armed receive already produced are held, and each
     * read() delivers one of them, in order, before anything new is received (as a read on demand would).
     */
    @Test
    void autoReadOffInsideChannelReadHoldsWhatTheArmedReceiveTookForTheNextRead() throws Exception {
        group = newGroup();
        try {
            Recorded r = connectRecorded(group, true, new ServerBootstrap());
            Channel client = r.client();
            ProactorSocketChannel child = r.child();
            LinkedBlockingQueue<ByteBuf> reads = r.reads();
            // Several ring buffers' worth in one write: the armed receive fills them in one go.
            byte[] data = new byte[BUFFER_SIZE * 4];
            new Random(7).nextBytes(data);
            client.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            ByteBuf first = reads.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            ByteBuf all = Unpooled.buffer(data.length);
            all.writeBytes(first);
            first.release();
            Thread.sleep(200);
            assertNull(reads.poll(), "read again although AUTO_READ is off and no read() was asked for");
            int held = child.eventLoop().submit(child::heldReadCount).get(5, TimeUnit.SECONDS);
            assertTrue(held > 0, "the receive took nothing more in that batch; this test needs it to");
            while (all.readableBytes() < data.length) {
                child.read();
                ByteBuf next = reads.poll(10, TimeUnit.SECONDS);
                assertNotNull(next, "read() delivered nothing");
                all.writeBytes(next);
                next.release();
                assertNull(reads.poll(50, TimeUnit.MILLISECONDS), "one read() delivered more than one message");
            }
            byte[] got = new byte[data.length];
            all.readBytes(got);
            assertArrayEquals(data, got);
            assertEquals(0, handedOut(child));
            client.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static void assertTrueOnLoop(Channel ch, java.util.concurrent.Callable<Boolean> check, String message)
            throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(ch.eventLoop().submit(check).get(5, TimeUnit.SECONDS), message);
    }

    private static void assertTrue(boolean condition, String message) {
        org.junit.jupiter.api.Assertions.assertTrue(condition, message);
    }
}
