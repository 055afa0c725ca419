package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AbstractReferenceCounted;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * FileRegions on a Proactor TCP channel, read by a NIO client: DefaultFileRegions go through SPLICE (Linux: file →
 * pipe → socket; IOCP: TransmitFile file → socket; no copy through user space: the channel's counters show every
 * byte spliced and none sent from a buffer), other FileRegions through transferTo; regions at an offset; a 3 GiB sparse file checked by CRC32; a
 * file shorter than the region's count fails the write with an IOException and nothing hangs.
 */
class FileRegionTest {
    /** Linux: DefaultFileRegions are spliced through a pipe; Windows (IOCP): File-based ones go by TransmitFile. */
    private static final boolean SPLICE = com.sun.jna.Platform.isLinux();
    private static final boolean TRANSMIT_FILE = com.sun.jna.Platform.isWindows();
    @TempDir
    Path dir;

    /** A Proactor server whose children run {@code onActive}; a NIO client collecting what arrives. */
    private static final class Setup implements AutoCloseable {
        final EventLoopGroup proactor;
        final EventLoopGroup nio = TestDrivers.nio(1);
        final CompletableFuture<ProactorSocketChannel> child = new CompletableFuture<>();
        Channel server;
        Channel client;

        Setup(DriverKind kind) {
            proactor = TestDrivers.proactor(kind, 1);
        }

        void start(ChannelInboundHandlerAdapter clientHandler) throws InterruptedException {
            server = new ServerBootstrap().group(proactor).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            child.complete((ProactorSocketChannel) ch);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            client = new Bootstrap().group(nio).channel(NioSocketChannel.class).handler(clientHandler)
                    .connect(server.localAddress()).sync().channel();
        }

        ProactorSocketChannel child() throws Exception {
            return child.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            if (client != null) {
                client.close().sync();
            }
            if (server != null) {
                server.close().sync();
            }
            TestDrivers.shutdown(proactor, nio);
        }
    }

    /** Collects every byte (or only their CRC32 and count), completes at EOF. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CRC32 crc = new CRC32();
        final boolean keep;
        long count;
        final CompletableFuture<Void> eof = new CompletableFuture<>();

        Sink(boolean keep) {
            this.keep = keep;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                count += b.readableBytes();
                crc.update(b.nioBuffer());
                if (keep) {
                    byte[] a = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), a);
                    bytes.writeBytes(a);
                }
            } finally {
                b.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            eof.complete(null);
        }
    }

    /** A FileRegion that is not a DefaultFileRegion: goes through transferTo and a buffer. */
    private static final class ArrayRegion extends AbstractReferenceCounted implements FileRegion {
        private final byte[] data;
        private long transferred;

        ArrayRegion(byte[] data) {
            this.data = data;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        @Deprecated
        public long transfered() {
            return transferred;
        }

        @Override
        public long transferred() {
            return transferred;
        }

        @Override
        public long count() {
            return data.length;
        }

        @Override
        public long transferTo(WritableByteChannel target, long position) throws IOException {
            int n = target.write(ByteBuffer.wrap(data, (int) position, (int) Math.min(1000, data.length - position)));
            transferred += n;
            return n;
        }

        @Override
        public FileRegion retain() {
            super.retain();
            return this;
        }

        @Override
        public FileRegion retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public FileRegion touch() {
            return this;
        }

        @Override
        public FileRegion touch(Object hint) {
            return this;
        }

        @Override
        protected void deallocate() {
        }
    }

    private static long openDescriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void regionsAtOffsetsMixedWithBuffers(DriverKind kind) throws Exception {
        byte[] content = new byte[200_000];
        new Random(5).nextBytes(content);
        Path file = dir.resolve("content.bin");
        Files.write(file, content);
        byte[] other = new byte[12_345];
        new Random(6).nextBytes(other);
        long fdsBefore = openDescriptors();
        Sink sink = new Sink(true);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (Setup s = new Setup(kind)) {
            s.start(sink);
            ProactorSocketChannel ch = s.child();
            ch.write(new DefaultFileRegion(file.toFile(), 1000, 150_000));
            expected.write(content, 1000, 150_000);
            ch.write(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
            expected.write(new byte[] {1, 2, 3});
            ch.write(new DefaultFileRegion(file.toFile(), 199_000, 1000));
            expected.write(content, 199_000, 1000);
            ch.write(new DefaultFileRegion(file.toFile(), 0, 0));
            FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
            ch.write(new DefaultFileRegion(fc, 7, 5000)); // spliced with --add-opens, else copied
            expected.write(content, 7, 5000);
            ch.write(new ArrayRegion(other));
            expected.write(other);
            ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {9})).sync();
            expected.write(9);
            ch.close().sync();
            sink.eof.get(30, TimeUnit.SECONDS);
            assertArrayEquals(expected.toByteArray(), sink.bytes.toByteArray());
            long[] counters = ch.fileRegionCounters();
            if (SPLICE) {
                assertTrue(counters[1] >= 151_000, "the File-based regions were spliced: " + counters[1]);
                assertTrue(counters[2] >= other.length, "the other region was copied: " + counters[2]);
            } else if (TRANSMIT_FILE) {
                assertEquals(151_000, counters[1], "the File-based regions went by TransmitFile");
                assertEquals(5000 + other.length, counters[2], "the FileChannel-based and the other region were copied");
            } else {
                assertEquals(0, counters[1], "no splice");
                assertEquals(151_000 + 5000 + other.length, counters[2], "every region was copied");
            }
            assertTrue(!fc.isOpen(), "the region's FileChannel is closed once written");
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (openDescriptors() > fdsBefore && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(openDescriptors() <= fdsBefore, "descriptors leaked: " + fdsBefore + " before, " + openDescriptors() + " after");
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void fileShorterThanTheRegionFailsTheWrite(DriverKind kind) throws Exception {
        byte[] content = new byte[100_000];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("short.bin");
        Files.write(file, content);
        Sink sink = new Sink(true);
        try (Setup s = new Setup(kind)) {
            s.start(sink);
            ProactorSocketChannel ch = s.child();
            ChannelFuture f = ch.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, content.length + 4096));
            assertTrue(f.await(30, TimeUnit.SECONDS), "the write never completed");
            IOException e = assertInstanceOf(IOException.class, f.cause());
            // The splice path's words, or (copy path) DefaultFileRegion.transferTo's own "smaller then".
            assertTrue(e.getMessage().contains("smaller than") || e.getMessage().contains("smaller then"), e.getMessage());
            sink.eof.get(30, TimeUnit.SECONDS); // the channel closed (autoClose): no hang on either side
            assertArrayEquals(content, sink.bytes.toByteArray());
        }
    }

    /** Writes a sparse file of {@code size} bytes with random blocks at a few offsets; returns its CRC32. */
    private static long sparseFile(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            Random random = new Random(11);
            for (long at : new long[] {0, 1L << 30, (2L << 30) - 3, (2L << 30) + 12345, size - 70_000}) {
                byte[] block = new byte[65_536];
                random.nextBytes(block);
                raf.seek(at);
                raf.write(block);
            }
        }
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            while (fc.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return crc.getValue();
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void regionOfSeveralTransmitFileChunksAtAnOffset(DriverKind kind) throws Exception {
        // On IOCP a region goes in TransmitFile calls of FileRegionWriter.TRANSMIT_CHUNK bytes: three and a bit here.
        long size = 3L * FileRegionWriter.TRANSMIT_CHUNK + 200_000;
        long offset = 77_777;
        Path file = dir.resolve("chunks.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            Random random = new Random(13);
            for (long at : new long[] {0, offset, FileRegionWriter.TRANSMIT_CHUNK - 10, 2L * FileRegionWriter.TRANSMIT_CHUNK + 5,
                    size - 70_000}) {
                byte[] block = new byte[65_536];
                random.nextBytes(block);
                raf.seek(at);
                raf.write(block);
            }
        }
        CRC32 expected = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            fc.position(offset);
            while (fc.read(buf) >= 0) {
                buf.flip();
                expected.update(buf);
                buf.clear();
            }
        }
        long count = size - offset;
        Sink sink = new Sink(false);
        try (Setup s = new Setup(kind)) {
            s.start(sink);
            ProactorSocketChannel ch = s.child();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ch.writeAndFlush(new DefaultFileRegion(file.toFile(), offset, count)).addListener(f -> failure.set(f.cause()))
                    .await(120, TimeUnit.SECONDS);
            ch.close().sync();
            sink.eof.get(120, TimeUnit.SECONDS);
            assertEquals(null, failure.get());
            assertEquals(count, sink.count);
            assertEquals(expected.getValue(), sink.crc.getValue(), "CRC32 of what the NIO client read");
            long[] counters = ch.fileRegionCounters();
            if (SPLICE || TRANSMIT_FILE) {
                assertEquals(count, counters[1], "bytes spliced / transmitted");
                assertEquals(0, counters[2], "bytes copied");
            }
            if (TRANSMIT_FILE) {
                assertEquals(4, counters[0], "TransmitFile calls");
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeWhileARegionWaitsForThePeer(DriverKind kind) throws Exception {
        assumeTrue(SPLICE || TRANSMIT_FILE, "neither splice nor TransmitFile here: regions are copied");
        long size = 64L << 20;
        Path file = dir.resolve("in-flight.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        try (Setup s = new Setup(kind)) {
            s.start(new Sink(false));
            s.client.config().setAutoRead(false); // the peer stops reading: the region cannot be sent whole
            ProactorSocketChannel ch = s.child();
            ChannelFuture write = ch.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, size));
            Thread.sleep(500);
            assertTrue(ch.eventLoop().submit(ch::isFileRegionInFlight).get(5, TimeUnit.SECONDS), "an op of the region is in flight");
            assertTrue(!write.isDone(), "the region cannot be done yet");
            ch.close().sync();
            assertTrue(write.await(10, TimeUnit.SECONDS), "the write ended with the close");
            assertTrue(!write.isSuccess());
        }
        if (TRANSMIT_FILE) {
            // The region's file handle was closed once TransmitFile had completed: nobody else has the file open.
            long deadline = System.nanoTime() + 5_000_000_000L;
            for (;;) {
                try (var exclusive = Files.newByteChannel(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        com.sun.nio.file.ExtendedOpenOption.NOSHARE_READ, com.sun.nio.file.ExtendedOpenOption.NOSHARE_WRITE,
                        com.sun.nio.file.ExtendedOpenOption.NOSHARE_DELETE)) {
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the region's file is still open elsewhere", e);
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void threeGibSparseFileSplicedToNio(DriverKind kind) throws Exception {
        assumeTrue(SPLICE || TRANSMIT_FILE, "neither splice nor TransmitFile here: regions are copied");
        long size = 3L << 30;
        Path file = dir.resolve("sparse-3g.bin");
        long expectedCrc = sparseFile(file, size);
        Sink sink = new Sink(false);
        try (Setup s = new Setup(kind)) {
            s.start(sink);
            ProactorSocketChannel ch = s.child();
            long start = System.nanoTime();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            ch.writeAndFlush(new DefaultFileRegion(file.toFile(), 0, size)).addListener(f -> failure.set(f.cause()))
                    .await(120, TimeUnit.SECONDS);
            ch.close().sync();
            sink.eof.get(120, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(null, failure.get());
            assertEquals(size, sink.count);
            assertEquals(expectedCrc, sink.crc.getValue(), "CRC32 of what the client read");
            long[] counters = ch.fileRegionCounters();
            // No user-space copy: every byte went by SPLICE (pipe -> socket; IOCP: TransmitFile in 64 MiB pieces, so
            // also past 2 GiB), none through a buffer SEND.
            assertEquals(size, counters[1], "bytes spliced into the socket");
            assertEquals(0, counters[2], "bytes copied");
            assertEquals(0, ch.sentBytes, "bytes sent from ByteBufs");
            System.out.println(kind + ": 3 GiB spliced in " + millis + " ms (" + (size / 1024 / 1024 * 1000 / Math.max(1, millis))
                    + " MiB/s), " + counters[0] + " SPLICE ops");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
