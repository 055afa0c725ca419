package dev.proactor.netty;

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
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A channel that never asks to read (AUTO_READ off, no read()) still notices its peer's close, as with epoll:
 * it reads what is left and the EOF, then closes, or, with ALLOW_HALF_CLOSURE, shuts its input down and stays
 * open for writing. Without the POLLRDHUP poll nothing would ever be read and channelInactive never fired.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "IOCP has no read hang-up readiness, so no peer-close watch: on Windows "
        + "a channel that is not reading sees its peer's close at its next read (README, platforms)")
class PeerCloseWithoutReadTest {
    private static final int BYTES = 100;

    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void acceptedChannelSeesPeerCloseAndReadsWhatWasLeft(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder(false);
        try {
            Channel server = notReadingServer(group, ProactorServerSocketChannel.class, recorder, false)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket()) {
                peer.connect(server.localAddress());
                peer.getOutputStream().write(new byte[BYTES]);
            } // closed: FIN after the data
            assertTrue(recorder.inactive.await(10, TimeUnit.SECONDS), "channelInactive after the peer's close");
            assertEquals(BYTES, recorder.bytes.get(), "every byte sent before the close is read");
            assertTrue(recorder.readCompletes.get() > 0, "channelReadComplete after the data");
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void halfClosureShutsTheInputDownAndTheChannelStillWrites(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder(true);
        try {
            Channel server = notReadingServer(group, ProactorServerSocketChannel.class, recorder, true)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket()) {
                peer.connect(server.localAddress());
                peer.setSoTimeout(10_000);
                peer.getOutputStream().write(new byte[BYTES]);
                peer.shutdownOutput();
                // The handler answers ChannelInputShutdownEvent with the count it read, then closes.
                assertEquals("read " + BYTES, readAll(peer.getInputStream()));
            }
            assertTrue(recorder.inactive.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("input-shutdown", "input-shutdown-read-complete"), recorder.events);
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void connectedChannelSeesServerClose(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder(false);
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Channel ch = notReadingClient(group, recorder).connect(listener.getLocalSocketAddress()).sync().channel();
            try (Socket peer = listener.accept()) {
                peer.getOutputStream().write(new byte[BYTES]);
            }
            assertTrue(recorder.inactive.await(10, TimeUnit.SECONDS), "channelInactive after the server's close");
            assertEquals(BYTES, recorder.bytes.get());
            assertFalse(ch.isOpen());
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void domainSocketSeesPeerClose(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder(false);
        Path path = dir.resolve("peer-close.sock");
        try {
            Channel server = notReadingServer(group, ProactorServerDomainSocketChannel.class, recorder, false)
                    .bind(new DomainSocketAddress(path.toString())).sync().channel();
            try (SocketChannel peer = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                peer.connect(UnixDomainSocketAddress.of(path));
                peer.write(ByteBuffer.allocate(BYTES));
            }
            assertTrue(recorder.inactive.await(10, TimeUnit.SECONDS), "channelInactive after the peer's close");
            assertEquals(BYTES, recorder.bytes.get());
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /** Closing a channel whose POLLRDHUP poll is armed cancels it and completes (the poll must not hold it open). */
    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeWithThePollArmedCompletes(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder(false);
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Channel ch = notReadingClient(group, recorder).connect(listener.getLocalSocketAddress()).sync().channel();
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout(10_000);
                CompletableFuture<Boolean> armed = new CompletableFuture<>();
                ch.eventLoop().execute(() -> armed.complete(((AbstractProactorStreamChannel) ch).isPeerCloseWatched()));
                assertTrue(armed.get(10, TimeUnit.SECONDS), "a connected channel that does not read watches for the peer's close");
                assertTrue(ch.close().await(10, TimeUnit.SECONDS), "close completes");
                assertEquals(-1, peer.getInputStream().read(), "the peer sees the close");
            }
            assertEquals(0, recorder.bytes.get());
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static ServerBootstrap notReadingServer(EventLoopGroup group, Class<? extends ServerChannel> type,
                                                    Recorder recorder, boolean halfClosure) {
        return new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.MAX_MESSAGES_PER_READ, 1)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BYTES / 10))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(recorder);
                    }
                });
    }

    private static Bootstrap notReadingClient(EventLoopGroup group, Recorder recorder) {
        return new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 1)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(BYTES / 10))
                .handler(recorder);
    }

    private static String readAll(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final boolean answerShutdown;
        final AtomicInteger bytes = new AtomicInteger();
        final AtomicInteger readCompletes = new AtomicInteger();
        final List<String> events = new CopyOnWriteArrayList<>();
        final java.util.concurrent.CountDownLatch inactive = new java.util.concurrent.CountDownLatch(1);

        Recorder(boolean answerShutdown) {
            this.answerShutdown = answerShutdown;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            bytes.addAndGet(((ByteBuf) msg).readableBytes());
            ((ByteBuf) msg).release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes.incrementAndGet();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                events.add("input-shutdown");
            } else if (evt == ChannelInputShutdownReadComplete.INSTANCE) {
                events.add("input-shutdown-read-complete");
                if (answerShutdown) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("read " + bytes.get(), StandardCharsets.US_ASCII))
                            .addListener(f -> ctx.close());
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inactive.countDown();
        }
    }
}
