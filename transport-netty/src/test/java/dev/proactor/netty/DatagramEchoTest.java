package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.net.Socket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Datagram echo between Proactor and NIO on IPv4 and IPv6, with the Proactor side as client (connected, writing
 * plain ByteBufs, or unconnected, writing DatagramPackets) and as echo server.
 */
class DatagramEchoTest {
    private static final int COUNT = 2000;
    private static final int WINDOW = 64;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        TestDrivers.available().forEach(kind -> {
            b.add(Arguments.of(kind, SocketProtocolFamily.INET));
            if (Socket.isIpv6Supported()) {
                b.add(Arguments.of(kind, SocketProtocolFamily.INET6));
            }
        });
        return b.build();
    }

    private static final boolean UNDER_WINE = Boolean.getBoolean("proactor.test.wine");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void proactorClientUnconnected(DriverKind kind, SocketProtocolFamily family) throws Exception {
        run(kind, family, ProactorDatagramChannel.class, NioDatagramChannel.class, false);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void proactorClientConnected(DriverKind kind, SocketProtocolFamily family) throws Exception {
        run(kind, family, ProactorDatagramChannel.class, NioDatagramChannel.class, true);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void nioClientProactorServer(DriverKind kind, SocketProtocolFamily family) throws Exception {
        run(kind, family, NioDatagramChannel.class, ProactorDatagramChannel.class, false);
        run(kind, family, NioDatagramChannel.class, ProactorDatagramChannel.class, true);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void proactorBothSides(DriverKind kind, SocketProtocolFamily family) throws Exception {
        run(kind, family, ProactorDatagramChannel.class, ProactorDatagramChannel.class, true);
    }

    private static void run(DriverKind kind, SocketProtocolFamily family, Class<? extends DatagramChannel> clientType,
                            Class<? extends DatagramChannel> serverType, boolean connected) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        DatagramChannel server = null;
        DatagramChannel client = null;
        try {
            server = Datagrams.bind(serverType == NioDatagramChannel.class ? nio : proactor, serverType, family,
                    new Datagrams.Echo());
            InetSocketAddress to = server.localAddress();
            Datagrams.Collector collector = new Datagrams.Collector(COUNT);
            EventLoopGroup clientGroup = clientType == NioDatagramChannel.class ? nio : proactor;
            Bootstrap cb = new Bootstrap().group(clientGroup)
                    .channelFactory(() -> Datagrams.newChannel(clientType, family))
                    .option(ChannelOption.SO_RCVBUF, Datagrams.BIG_RCVBUF)
                    .handler(collector);
            client = (DatagramChannel) (connected ? cb.connect(to) : cb.bind(new InetSocketAddress(Datagrams.loopback(family), 0)))
                    .sync().channel();
            assertEquals(connected, client.isConnected());
            assertTrue(client.isActive());
            if (connected) {
                assertEquals(to.getPort(), client.remoteAddress().getPort());
            } else {
                assertNull(client.remoteAddress());
            }
            for (int sent = 0; sent < COUNT; ) {
                int n = Math.min(WINDOW, COUNT - sent);
                for (int i = sent; i < sent + n; i++) {
                    client.write(connected ? Datagrams.numbered(i) : new DatagramPacket(Datagrams.numbered(i), to));
                }
                client.flush();
                sent += n;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (collector.count() < sent && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertEquals(sent, collector.count(), "echoes received after " + sent + " datagrams sent");
            }
            assertEquals(0, collector.duplicates);
            assertEquals(0, collector.corrupt);
            assertEquals(List.of(), collector.errors);
            for (InetSocketAddress from : collector.seen.values()) {
                assertEquals(to.getPort(), from.getPort());
            }
            // Wine limitation: the JDK's own DatagramChannel.disconnect fails under Wine ("Invalid argument: bind",
            // the JDK re-binds on Windows), so only Proactor clients are disconnected there.
            if (connected && !(UNDER_WINE && clientType == NioDatagramChannel.class)) {
                client.disconnect().sync();
                assertFalse(client.isConnected());
                assertNull(client.remoteAddress());
            }
        } finally {
            Datagrams.closeAll(client, server);
            TestDrivers.shutdown(proactor, nio);
        }
    }
}
