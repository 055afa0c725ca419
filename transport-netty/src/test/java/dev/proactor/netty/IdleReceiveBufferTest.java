package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On io_uring and the poll driver a connection waiting for data holds no receive buffer unless its messages are small: its read
 * waits for readability first and takes a buffer only when data is there (as epoll and NIO do), so idle connections
 * cost no buffer memory and bulk transfers do not keep a large buffer per connection. A connection whose reads are
 * small (Netty's receive guess shrank to 1 KiB or less) keeps its small buffer waiting, which saves one completion
 * per message. (Netty's io_uring transport keeps a buffer of the guessed size in every waiting RECV.) IOCP's overlapped
 * receive needs its buffer while it waits, so it is not tested there.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "IOCP's overlapped receive holds its buffer while it waits")
class IdleReceiveBufferTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void aWaitingConnectionHoldsNoBufferUnlessItsMessagesAreSmall(DriverKind kind) throws Exception {
        // One RECV per read (no provided-buffer ring): the receive that waits with or without its buffer is what is
        // checked here. With the ring (io_uring's default) a waiting multishot receive holds no buffer at all.
        EventLoopGroup group = new ProactorEventLoopGroup(1,
                ProactorIoHandlerConfig.defaults().withDriverKind(kind).withRecvBufferRing(0, 4096));
        CompletableFuture<AbstractProactorStreamChannel> accepted = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.complete((AbstractProactorStreamChannel) ch);
                            ch.pipeline().addLast(EchoHandlers.EchoServer.INSTANCE);
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket()) {
                peer.connect(server.localAddress());
                peer.setSoTimeout(10_000);
                AbstractProactorStreamChannel ch = accepted.get(10, TimeUnit.SECONDS);
                awaitWaitingRead(ch, held -> held == 0, "a new connection waits without a buffer");
                for (int size : new int[] {4096, 65536, 300_000}) {
                    echo(peer, size);
                    awaitWaitingRead(ch, held -> held == 0, "no buffer held while waiting after " + size + " bytes");
                }
                for (int i = 0; i < 200; i++) {
                    echo(peer, 1);
                }
                awaitWaitingRead(ch, held -> held > 0 && held <= 1024, "a small buffer waits after small messages");
                echo(peer, 65536);
                awaitWaitingRead(ch, held -> held == 0, "no buffer held again after a large message");
            }
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static void echo(Socket peer, int size) throws IOException {
        byte[] sent = new byte[size];
        Arrays.fill(sent, (byte) size);
        peer.getOutputStream().write(sent);
        byte[] echoed = new byte[size];
        new DataInputStream(peer.getInputStream()).readFully(echoed);
        assertArrayEquals(sent, echoed, size + " bytes echoed");
    }

    /**
     * Waits until the channel's read is in flight with a held buffer of a capacity {@code expected} accepts. Not at
     * once: the echo's write completes first, and a receive that is about to find the socket empty (which then
     * turns into a wait without a buffer) may still be in flight.
     */
    private static void awaitWaitingRead(AbstractProactorStreamChannel ch, IntPredicate expected, String what)
            throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        for (;;) {
            int[] state = ch.eventLoop().submit(() -> new int[] {ch.isReadInFlight() ? 1 : 0, ch.heldReceiveBufferCapacity()})
                    .get(10, TimeUnit.SECONDS);
            if (state[0] == 1 && expected.test(state[1])) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, what + ": read in flight " + (state[0] == 1) + ", buffer " + state[1]);
            Thread.sleep(5);
        }
    }
}
