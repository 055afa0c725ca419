package dev.proactor.netty;

import com.sun.jna.Platform;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Channel options: the standard ones and ProactorChannelOption are honoured; others are refused clearly. On
 * Windows the Linux-only options are unknown (false), as Netty's contract has it for options a channel lacks.
 */
class OptionsTest {
    private static final boolean LINUX = Platform.isLinux();
    private static final boolean KEEPIDLE = SocketOptions.isAvailable(SocketOptions.TCP_KEEPIDLE);

    private static Map<ChannelOption<?>, Object> socketOptions() {
        Map<ChannelOption<?>, Object> m = new LinkedHashMap<>();
        m.put(ChannelOption.SO_RCVBUF, 65536);
        m.put(ChannelOption.SO_SNDBUF, 65536);
        m.put(ChannelOption.TCP_NODELAY, false);
        m.put(ChannelOption.SO_KEEPALIVE, true);
        m.put(ChannelOption.SO_REUSEADDR, true);
        m.put(ChannelOption.SO_LINGER, 3);
        m.put(ChannelOption.IP_TOS, 0x10);
        m.put(ChannelOption.ALLOW_HALF_CLOSURE, true);
        m.put(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1234);
        m.put(ChannelOption.AUTO_READ, true);
        m.put(ChannelOption.AUTO_CLOSE, false);
        m.put(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1000, 2000));
        m.put(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator());
        m.put(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT);
        m.put(ChannelOption.WRITE_SPIN_COUNT, 7);
        m.put(ChannelOption.MESSAGE_SIZE_ESTIMATOR, new DefaultMessageSizeEstimator(3));
        m.put(ChannelOption.MAX_MESSAGES_PER_WRITE, 64);
        if (SocketOptions.isAvailable(SocketOptions.TCP_KEEPIDLE)) { // Windows 10 1709+ has these; Wine does not
            m.put(ProactorChannelOption.TCP_KEEPIDLE, 77);
            m.put(ProactorChannelOption.TCP_KEEPINTVL, 11);
            m.put(ProactorChannelOption.TCP_KEEPCNT, 5);
        }
        if (LINUX) {
            m.put(ChannelOption.TCP_FASTOPEN_CONNECT, true);
            m.put(ProactorChannelOption.TCP_CORK, true);
            m.put(ProactorChannelOption.TCP_QUICKACK, true);
            m.put(ProactorChannelOption.TCP_USER_TIMEOUT, 30000);
            m.put(ProactorChannelOption.TCP_NOTSENT_LOWAT, 16384L);
            m.put(ProactorChannelOption.SO_REUSEPORT, true);
            m.put(ProactorChannelOption.IP_FREEBIND, true);
        }
        return m;
    }

    private static Map<ChannelOption<?>, Object> serverOptions() {
        Map<ChannelOption<?>, Object> m = new LinkedHashMap<>();
        m.put(ChannelOption.SO_RCVBUF, 65536);
        m.put(ChannelOption.SO_REUSEADDR, true);
        m.put(ChannelOption.SO_BACKLOG, 123);
        if (LINUX) {
            m.put(ChannelOption.TCP_FASTOPEN, 16);
        }
        m.put(ChannelOption.AUTO_READ, true);
        if (LINUX) {
            m.put(ProactorChannelOption.SO_REUSEPORT, true);
            m.put(ProactorChannelOption.IP_FREEBIND, true);
            m.put(ProactorChannelOption.TCP_DEFER_ACCEPT, 5);
        }
        return m;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertAccepted(io.netty.channel.ChannelConfig config, Map<ChannelOption<?>, Object> options) {
        for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
            ChannelOption o = e.getKey();
            assertTrue(config.setOption(o, e.getValue()), "refused " + o);
            Object got = config.getOption(o);
            if (o == ChannelOption.SO_RCVBUF || o == ChannelOption.SO_SNDBUF) {
                // Linux doubles the value for its bookkeeping.
                assertTrue((Integer) got >= (Integer) e.getValue(), o + " = " + got);
            } else if (o != ProactorChannelOption.TCP_QUICKACK && o != ChannelOption.TCP_FASTOPEN && o != ProactorChannelOption.TCP_DEFER_ACCEPT) {
                // TCP_QUICKACK is not sticky; TCP_FASTOPEN and TCP_DEFER_ACCEPT read back in other units.
                assertEquals(e.getValue(), got, o.name());
            }
            assertTrue(config.getOptions().containsKey(o) || !(o instanceof ChannelOption), o.name());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void everyListedOptionIsHonoured(DriverKind kind) {
        ProactorSocketChannel socket = new ProactorSocketChannel();
        ProactorServerSocketChannel server = new ProactorServerSocketChannel();
        try {
            assertTrue(socket.config().isTcpNoDelay(), "TCP_NODELAY is on by default, as with epoll");
            assertTrue(server.config().isReuseAddress(), "SO_REUSEADDR is on by default for servers");
            assertAccepted(socket.config(), socketOptions());
            assertAccepted(server.config(), serverOptions());
        } finally {
            socket.unsafe().closeForcibly();
            server.unsafe().closeForcibly();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void unsupportedOptionsAreRefused(DriverKind kind) {
        ProactorSocketChannel socket = new ProactorSocketChannel();
        try {
            // Netty's contract: false for an option the channel does not know (Bootstrap then logs a warning).
            assertFalse(socket.config().setOption(ChannelOption.SO_BROADCAST, true));
            assertFalse(socket.config().setOption(ChannelOption.IP_MULTICAST_TTL, 3));
            assertFalse(socket.config().setOption(ChannelOption.valueOf("PROACTOR_NO_SUCH_OPTION"), 1));
            if (!LINUX) {
                // Options only Linux has are unknown elsewhere.
                assertFalse(socket.config().setOption(ProactorChannelOption.TCP_CORK, true));
                assertFalse(socket.config().setOption(ProactorChannelOption.IP_FREEBIND, true));
                assertFalse(socket.config().setOption(ProactorChannelOption.TCP_USER_TIMEOUT, 1000));
                assertFalse(socket.config().setOption(ProactorChannelOption.TCP_NOTSENT_LOWAT, 1000L));
                assertFalse(socket.config().getOptions().containsKey(ProactorChannelOption.TCP_CORK));
                return;
            }
            // An option we know but the kernel rejects: a ChannelException that names the errno.
            ChannelException e = assertThrows(ChannelException.class,
                    () -> socket.config().setOption(ProactorChannelOption.TCP_KEEPIDLE, 0));
            assertTrue(e.getMessage().contains("EINVAL") && e.getMessage().contains("TCP_KEEPIDLE"), e.getMessage());
            assertEquals("EINVAL", ErrorsTest.nativeError(e).codeName());
        } finally {
            socket.unsafe().closeForcibly();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void optionsSetBeforeConnectApply(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        CompletableFuture<Channel> child = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 7)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(KEEPIDLE ? ProactorChannelOption.TCP_KEEPIDLE : ChannelOption.SO_RCVBUF, KEEPIDLE ? 99 : 32768)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            child.complete(ch);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, false)
                    .option(ChannelOption.SO_SNDBUF, 32768)
                    .option(LINUX ? ProactorChannelOption.TCP_USER_TIMEOUT : ChannelOption.SO_RCVBUF, LINUX ? 4321 : 32768)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            assertEquals(false, ch.config().getOption(ChannelOption.TCP_NODELAY));
            assertTrue(ch.config().getOption(ChannelOption.SO_SNDBUF) >= 32768);
            if (LINUX) {
                assertEquals(4321, ch.config().getOption(ProactorChannelOption.TCP_USER_TIMEOUT));
            }
            Channel c = child.get(5, TimeUnit.SECONDS);
            assertEquals(true, c.config().getOption(ChannelOption.SO_KEEPALIVE));
            if (KEEPIDLE) {
                assertEquals(99, c.config().getOption(ProactorChannelOption.TCP_KEEPIDLE));
            }
            assertEquals(7, server.config().getOption(ChannelOption.SO_BACKLOG));
            ch.close().sync();
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }
}
