package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.PeerCredentials;
import io.netty.channel.unix.UnixChannelOption;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain stream sockets: echo (Proactor on both sides, and with Netty's NIO domain channels), abstract
 * addresses, descriptor passing (an open file's descriptor sent, the file read through the received one), peer
 * credentials, the socket file removed on close, and a FileRegion spliced into a domain socket.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "unix domain sockets, SO_PEERCRED and SCM_RIGHTS are not supported on Windows by Proactor")
class DomainSocketTest {
    private static final int BYTES = 2 * 1024 * 1024;

    @TempDir
    Path dir;

    private DomainSocketAddress fileAddress(String name) {
        return new DomainSocketAddress(dir.resolve(name).toString());
    }

    private static DomainSocketAddress abstractAddress() {
        return new DomainSocketAddress("\0proactor-test-" + Long.toHexString(new Random().nextLong()));
    }

    private static void echo(EventLoopGroup serverGroup, Class<? extends ServerChannel> serverType, SocketAddress bindTo,
                             EventLoopGroup clientGroup, Class<? extends Channel> clientType, SocketAddress connectTo,
                             long seed) throws Exception {
        Channel server = new ServerBootstrap().group(serverGroup).channel(serverType)
                .childHandler(EchoHandlers.EchoServer.INSTANCE).bind(bindTo).sync().channel();
        try {
            byte[] data = EchoHandlers.EchoClient.randomBytes(BYTES, seed);
            EchoHandlers.EchoClient client = new EchoHandlers.EchoClient(data, seed);
            Channel ch = new Bootstrap().group(clientGroup).channel(clientType).handler(client)
                    .connect(connectTo).sync().channel();
            assertArrayEquals(data, client.received.get(30, TimeUnit.SECONDS));
            ch.close().sync();
        } finally {
            server.close().sync();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void echoBetweenProactorChannels(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        try {
            DomainSocketAddress address = fileAddress("echo.sock");
            echo(group, ProactorServerDomainSocketChannel.class, address, group, ProactorDomainSocketChannel.class, address, 1);
            assertFalse(Files.exists(Path.of(address.path())), "the socket file is removed when the server closes");
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void echoWithNettyNioDomainChannels(DriverKind kind) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            Path a = dir.resolve("nio-client.sock");
            echo(proactor, ProactorServerDomainSocketChannel.class, new DomainSocketAddress(a.toString()),
                    nio, NioDomainSocketChannel.class, UnixDomainSocketAddress.of(a), 2);
            Path b = dir.resolve("nio-server.sock");
            echo(nio, NioServerDomainSocketChannel.class, UnixDomainSocketAddress.of(b),
                    proactor, ProactorDomainSocketChannel.class, new DomainSocketAddress(b.toString()), 3);
        } finally {
            TestDrivers.shutdown(proactor, nio);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void abstractNamespace(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        try {
            DomainSocketAddress address = abstractAddress();
            CompletableFuture<ProactorDomainSocketChannel> child = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            child.complete((ProactorDomainSocketChannel) ch);
                            ch.pipeline().addLast(EchoHandlers.EchoServer.INSTANCE);
                        }
                    }).bind(address).sync().channel();
            try {
                assertEquals(address, server.localAddress());
                assertFalse(Files.exists(Path.of(address.path().substring(1))), "no file for an abstract name");
                byte[] data = EchoHandlers.EchoClient.randomBytes(BYTES, 4);
                EchoHandlers.EchoClient client = new EchoHandlers.EchoClient(data, 4);
                ProactorDomainSocketChannel ch = (ProactorDomainSocketChannel) new Bootstrap().group(group)
                        .channel(ProactorDomainSocketChannel.class).handler(client).connect(address).sync().channel();
                assertEquals(address, ch.remoteAddress());
                assertArrayEquals(data, client.received.get(30, TimeUnit.SECONDS));
                // The accepted side sees the abstract name it listens on, in Netty's spelling (leading NUL).
                assertEquals(address, child.get(5, TimeUnit.SECONDS).localAddress());
                ch.close().sync();
            } finally {
                server.close().sync();
            }
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    /** A client that did not bind has no name: both it and the accepted side report the empty address, not null. */
    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void unnamedEndsReportTheEmptyAddress(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        try {
            DomainSocketAddress address = fileAddress("unnamed.sock");
            CompletableFuture<Channel> child = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            child.complete(ch);
                        }
                    }).bind(address).sync().channel();
            try {
                Channel client = new Bootstrap().group(group).channel(ProactorDomainSocketChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).register().sync().channel();
                assertNull(client.localAddress(), "not bound, not connected");
                client.connect(address).sync();
                assertEquals(new DomainSocketAddress(""), client.localAddress());
                assertEquals(address, client.remoteAddress());
                assertEquals(new DomainSocketAddress(""), child.get(5, TimeUnit.SECONDS).remoteAddress());
                client.close().sync();
            } finally {
                server.close().sync();
            }
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void fileDescriptorPassingAndPeerCredentials(DriverKind kind) throws Exception {
        byte[] content = new byte[10_000];
        new Random(8).nextBytes(content);
        Path file = dir.resolve("passed.bin");
        Files.write(file, content);
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        CompletableFuture<PeerCredentials> credentials = new CompletableFuture<>();
        try {
            DomainSocketAddress address = fileAddress("fds.sock");
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerDomainSocketChannel.class)
                    .childOption(UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) throws Exception {
                            credentials.complete(((ProactorDomainSocketChannel) ctx.channel()).peerCredentials());
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            received.add(msg);
                        }
                    }).bind(address).sync().channel();
            try {
                Channel ch = new Bootstrap().group(group).channel(ProactorDomainSocketChannel.class)
                        .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
                int fd = LibC.open(file.toString(), LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
                assertTrue(fd >= 0);
                // Netty's own FileDescriptor type, as an epoll user would write it.
                ch.writeAndFlush(new FileDescriptor(fd)).sync();
                assertEquals(0, LibC.close(fd), "the sender still owns its descriptor");

                Object msg = received.poll(10, TimeUnit.SECONDS);
                assertNotNull(msg, "no descriptor received");
                NativeFileDescriptor got = (NativeFileDescriptor) msg;
                NativeBuffer buf = NativeBuffer.allocate(content.length + 10);
                long n = LibC.pread(got.intValue(), buf.address(), content.length + 10, 0);
                assertEquals(content.length, n, "read through the received descriptor");
                byte[] back = new byte[content.length];
                buf.buffer().get(0, back);
                assertArrayEquals(content, back);
                got.close();
                assertFalse(got.isOpen());

                PeerCredentials c = credentials.get(10, TimeUnit.SECONDS);
                assertEquals(ProcessHandle.current().pid(), c.pid());
                assertEquals(uid(), c.uid());
                ch.close().sync();
                // Netty's unix-common types were used without its native library.
                assertFalse(Files.readString(Path.of("/proc/self/maps")).contains("netty_transport_native"),
                        "a Netty native library is mapped");
            } finally {
                server.close().sync();
            }
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static int uid() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Uid in /proc/self/status");
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void fileRegionIntoADomainSocket(DriverKind kind) throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(9).nextBytes(content);
        Path file = dir.resolve("region.bin");
        Files.write(file, content);
        EventLoopGroup group = TestDrivers.proactor(kind, 2);
        try {
            DomainSocketAddress address = fileAddress("region.sock");
            byte[] got = new byte[content.length - 100];
            CompletableFuture<byte[]> done = new CompletableFuture<>();
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerDomainSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        int count;

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) msg;
                            int n = b.readableBytes();
                            b.readBytes(got, count, Math.min(n, got.length - count));
                            count += n;
                            b.release();
                            if (count >= got.length) {
                                done.complete(got);
                            }
                        }
                    }).bind(address).sync().channel();
            try {
                ProactorDomainSocketChannel ch = (ProactorDomainSocketChannel) new Bootstrap().group(group)
                        .channel(ProactorDomainSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                        .connect(address).sync().channel();
                ch.writeAndFlush(new DefaultFileRegion(file.toFile(), 100, content.length - 100)).sync();
                byte[] expected = new byte[content.length - 100];
                System.arraycopy(content, 100, expected, 0, expected.length);
                assertArrayEquals(expected, done.get(30, TimeUnit.SECONDS));
                assertEquals(expected.length, ch.fileRegionCounters()[1], "spliced");
                ch.close().sync();
            } finally {
                server.close().sync();
            }
        } finally {
            TestDrivers.shutdown(group);
        }
    }
}
