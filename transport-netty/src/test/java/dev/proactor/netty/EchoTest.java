package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Echo between Proactor and Netty NIO, in both roles, with heap, direct, small and large writes. */
class EchoTest {
    private static final int BYTES = 4 * 1024 * 1024;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void proactorServerNioClient(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            echo(proactor, ProactorServerSocketChannel.class, nio, NioSocketChannel.class, 1);
        } finally {
            TestDrivers.shutdown(proactor, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void nioServerProactorClient(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            echo(nio, NioServerSocketChannel.class, proactor, ProactorSocketChannel.class, 2);
        } finally {
            TestDrivers.shutdown(proactor, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void proactorBothSides(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        try {
            echo(proactor, ProactorServerSocketChannel.class, proactor, ProactorSocketChannel.class, 3);
            eagerRead = true;
            echo(proactor, ProactorServerSocketChannel.class, proactor, ProactorSocketChannel.class, 4);
        } finally {
            TestDrivers.shutdown(proactor);
        }
    }

    private boolean eagerRead;

    void echo(EventLoopGroup serverGroup, Class<? extends ServerChannel> serverClass,
                     EventLoopGroup clientGroup, Class<? extends Channel> clientClass, long seed) throws Exception {
        Channel server = new ServerBootstrap().group(serverGroup).channel(serverClass)
                .childHandler(eagerRead ? EchoHandlers.EchoServer.EAGER_READ : EchoHandlers.EchoServer.INSTANCE)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        try {
            byte[] data = EchoHandlers.EchoClient.randomBytes(BYTES, seed);
            EchoHandlers.EchoClient client = new EchoHandlers.EchoClient(data, seed);
            Channel ch = new Bootstrap().group(clientGroup).channel(clientClass).handler(client)
                    .connect(server.localAddress()).sync().channel();
            assertTrue(ch.isActive());
            assertEquals(((InetSocketAddress) server.localAddress()).getPort(), ((InetSocketAddress) ch.remoteAddress()).getPort());
            byte[] got = client.received.get(30, TimeUnit.SECONDS);
            assertArrayEquals(data, got);
            ch.close().sync();
            assertFalse(ch.isOpen());
            assertFalse(ch.isActive());
        } finally {
            server.close().sync();
        }
    }
}
