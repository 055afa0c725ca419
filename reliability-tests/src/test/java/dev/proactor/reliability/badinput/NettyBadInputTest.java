package dev.proactor.reliability.badinput;

import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.reliability.buffers.BufferLedger;
import dev.proactor.reliability.buffers.CheckingByteBufAllocator;
import dev.proactor.reliability.process.FdSnapshot;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Netty-facing API given nulls, negative sizes, closed channels, unsupported options and wrong types: a clear
 * exception (or Netty's documented answer: {@code false} from setOption for an option the channel does not
 * know), no corrupted state (the same channel, or the same event loop, still echoes afterwards), nothing leaked
 * (every buffer handed in is released exactly once, no descriptor left open). Oversized datagrams (EMSGSIZE, the
 * buffer released, the channel going on) are transport-netty's DatagramSemanticsTest.
 */
class NettyBadInputTest {
    private final CheckingByteBufAllocator alloc = CheckingByteBufAllocator.pooled(0);
    private EventLoopGroup group;
    private Channel server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        alloc.quarantine().verifyAll();
        BufferLedger.Snapshot s = alloc.ledger().snapshot();
        assertTrue(s.isClean(), s.toString());
    }

    @Test
    void factoryAndConfigArguments() {
        assertThrows(NullPointerException.class, () -> ProactorIoHandler.newFactory(null));
        ProactorIoHandlerConfig c = ProactorIoHandlerConfig.defaults();
        assertThrows(IllegalArgumentException.class, () -> c.withSubmissionEntries(0));
        assertThrows(IllegalArgumentException.class, () -> c.withSubmissionEntries(-8));
        assertThrows(IllegalArgumentException.class, () -> c.withCompletionEntries(1 << 17));
        assertThrows(IllegalArgumentException.class, () -> c.withDrainTimeout(-1, TimeUnit.SECONDS));
        assertThrows(NullPointerException.class, () -> c.withDrainTimeout(1, null));
        Throwable iocp = assertThrows(UnsatisfiedLinkError.class,
                () -> ProactorIoHandler.newFactory(c.withDriverKind(DriverKind.IOCP)));
        assertTrue(iocp.getMessage().contains("not Windows"), iocp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProactorEventLoopGroup(-1));
        assertThrows(UnsupportedOperationException.class, () -> new ProactorSocketChannel(SocketProtocolFamily.UNIX));
        assertThrows(UnsupportedOperationException.class, () -> new ProactorServerSocketChannel(SocketProtocolFamily.UNIX));
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void optionsOutOfRangeOrUnknown(DriverKind kind) throws Exception {
        FdSnapshot before = FdSnapshot.takeSettled();
        start(kind);
        Channel ch = connect();
        ChannelConfig config = ch.config();
        int rcvbuf = config.getOption(ChannelOption.SO_RCVBUF);
        assertThrows(NullPointerException.class, () -> config.setOption(null, 1));
        assertThrows(NullPointerException.class, () -> config.setOption(ChannelOption.SO_RCVBUF, null));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.SO_RCVBUF, -1));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.SO_SNDBUF, -1));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.IP_TOS, 256));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.IP_TOS, -1));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, -1));
        assertThrows(IllegalArgumentException.class, () -> config.setOption(ChannelOption.WRITE_SPIN_COUNT, 0));
        assertThrows(NullPointerException.class, () -> config.setOption(ChannelOption.ALLOCATOR, null));
        assertThrows(NullPointerException.class, () -> config.setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, null));
        // An option this channel does not know: Netty's contract is false / null, and nothing changes.
        assertFalse(config.setOption(ChannelOption.IP_MULTICAST_TTL, 3));
        assertNull(config.getOption(ChannelOption.IP_MULTICAST_TTL));
        assertFalse(config.setOption(ChannelOption.SO_BACKLOG, 10));
        assertEquals(rcvbuf, config.getOption(ChannelOption.SO_RCVBUF), "a refused value left the option as it was");
        assertEchoes(ch);
        assertThrows(IllegalArgumentException.class, () -> server.config().setOption(ChannelOption.SO_BACKLOG, -1));
        assertThrows(IllegalArgumentException.class, () -> server.config().setOption(ChannelOption.SO_RCVBUF, -1));
        ch.close().sync();
        tearDown();
        group = null;
        server = null;
        assertEquals(List.of(), FdSnapshot.takeSettled().newTransportLikeSince(before));
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void writesOfTheWrongThingOrToAClosedChannel(DriverKind kind) throws Exception {
        start(kind);
        Channel ch = connect();
        assertThrows(NullPointerException.class, () -> ch.write(null));
        ChannelFuture str = ch.writeAndFlush("a string");
        assertTrue(str.await(5, TimeUnit.SECONDS));
        assertTrue(str.cause() instanceof UnsupportedOperationException, String.valueOf(str.cause()));
        ByteBuf held = alloc.directBuffer(8).writeLong(1);
        ChannelFuture holder = ch.writeAndFlush(new DefaultByteBufHolder(held));
        assertTrue(holder.await(5, TimeUnit.SECONDS));
        assertTrue(holder.cause() instanceof UnsupportedOperationException, String.valueOf(holder.cause()));
        assertEquals(0, held.refCnt(), "a refused message is released");
        assertEchoes(ch);

        ((io.netty.channel.socket.DuplexChannel) ch).shutdownOutput().sync();
        ByteBuf afterShutdown = alloc.directBuffer(4).writeInt(1);
        ChannelFuture w = ch.writeAndFlush(afterShutdown);
        assertTrue(w.await(5, TimeUnit.SECONDS) && !w.isSuccess());
        assertEquals(0, afterShutdown.refCnt());

        ch.close().sync();
        ByteBuf afterClose = alloc.directBuffer(4).writeInt(1);
        ChannelFuture c = ch.writeAndFlush(afterClose);
        assertTrue(c.await(5, TimeUnit.SECONDS));
        assertTrue(c.cause() instanceof ClosedChannelException, String.valueOf(c.cause()));
        assertEquals(0, afterClose.refCnt());
        assertTrue(ch.close().await(5, TimeUnit.SECONDS), "closing twice");
        assertEchoes(connect());
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void connectAndBindMisuse(DriverKind kind) throws Exception {
        start(kind);
        Channel ch = connect();
        assertThrows(NullPointerException.class, () -> ch.connect(null));
        assertFailure(ch.connect(server.localAddress()), AlreadyConnectedException.class);
        assertEchoes(ch);

        Channel fresh = bootstrap().register().sync().channel();
        assertFailure(fresh.connect(InetSocketAddress.createUnresolved("no.such.host.invalid", 80)),
                UnresolvedAddressException.class);
        assertFailure(fresh.connect(new SocketAddress() { }), Exception.class);
        assertTrue(fresh.isOpen(), "a refused address leaves the channel usable");
        fresh.connect(server.localAddress()).sync();
        assertEchoes(fresh);

        Channel bound = bootstrap().register().sync().channel();
        assertThrows(NullPointerException.class, () -> bound.bind(null));
        bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync();
        Throwable twice = assertFailure(bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), Exception.class);
        assertTrue(twice.getMessage().contains("EINVAL"), twice.getMessage());
        Channel clash = bootstrap().register().sync().channel();
        Throwable inUse = assertFailure(clash.bind(server.localAddress()), Exception.class);
        assertTrue(inUse.getMessage().contains("EADDRINUSE"), inUse.getMessage());
        bound.close().sync();
        clash.close().sync();
        assertFailure(bound.bind(new InetSocketAddress(0)), ClosedChannelException.class);
        assertFailure(bound.connect(server.localAddress()), ClosedChannelException.class);

        assertFailure(server.writeAndFlush(alloc.directBuffer(1).writeByte(1)), UnsupportedOperationException.class);
        assertFailure(server.connect(server.localAddress()), UnsupportedOperationException.class);
        assertEchoes(connect());
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void registrationMisuse(DriverKind kind) throws Exception {
        start(kind);
        Channel ch = connect();
        assertFailure(group.next().register(ch), IllegalStateException.class);
        EventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel proactorOnNio = new ProactorSocketChannel();
            assertFailure(nio.next().register(proactorOnNio), IllegalStateException.class);
            proactorOnNio.unsafe().closeForcibly();
            Channel nioOnProactor = new NioSocketChannel();
            assertFailure(group.next().register(nioOnProactor), IllegalStateException.class);
            nioOnProactor.unsafe().closeForcibly();
        } finally {
            nio.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        assertEchoes(ch);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void start(DriverKind kind) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    private Bootstrap bootstrap() {
        return new Bootstrap().group(group).channel(ProactorSocketChannel.class).option(ChannelOption.ALLOCATOR, alloc)
                .handler(new Echoes());
    }

    private Channel connect() throws InterruptedException {
        return bootstrap().connect(server.localAddress()).sync().channel();
    }

    /** One round trip on {@code ch}: the channel and its loop still work. */
    private void assertEchoes(Channel ch) throws Exception {
        Echoes e = ch.pipeline().get(Echoes.class);
        CompletableFuture<Long> next = e.expect();
        ch.writeAndFlush(alloc.directBuffer(8).writeLong(42)).sync();
        assertEquals(42L, next.get(5, TimeUnit.SECONDS));
    }

    private static Throwable assertFailure(ChannelFuture f, Class<? extends Throwable> type) throws InterruptedException {
        assertTrue(f.await(5, TimeUnit.SECONDS), "not done");
        assertFalse(f.isSuccess(), "should have failed with " + type.getSimpleName());
        assertTrue(type.isInstance(f.cause()), () -> "expected " + type.getSimpleName() + ", got " + f.cause());
        return f.cause();
    }

    /** Completes the expected future with each echoed long. */
    private static final class Echoes extends ChannelInboundHandlerAdapter {
        private volatile CompletableFuture<Long> next = new CompletableFuture<>();

        CompletableFuture<Long> expect() {
            next = new CompletableFuture<>();
            return next;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                if (b.readableBytes() >= 8) {
                    next.complete(b.readLong());
                }
            } finally {
                b.release();
            }
        }
    }
}
