package dev.proactor.reliability.regressions;

import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.DuplexChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Found by the chaos test: one gathering send completes two writes; the first write's listener closes the channel
 * (as {@code writeAndFlush(...).addListener(CLOSE)} does) or shuts its output down. The second write was sent
 * by the same completion, so it must succeed, and the close must not pull the outbound buffer from under the
 * completion that is still walking it (Netty asserts there, and the rest of the completion was skipped).
 * No receive is in flight (auto-read off), so nothing else delays the close.
 */
class ListenerDuringWriteCompletionTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void closeFromTheFirstWritesListener(DriverKind kind) throws Exception {
        run(kind, Channel::close, false);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void shutdownOutputFromTheFirstWritesListener(DriverKind kind) throws Exception {
        run(kind, ch -> ((DuplexChannel) ch).shutdownOutput(), true);
    }

    private static void run(DriverKind kind, Consumer<Channel> action, boolean thenClose) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> peerRead = CompletableFuture.supplyAsync(() -> readAll(listener));
            Channel ch = new Bootstrap().group(group).channel(ProactorSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort())).sync().channel();
            ChannelFuture[] writes = ch.eventLoop().submit(() -> {
                ChannelFuture a = ch.write(bytes(1000));
                a.addListener(f -> action.accept(ch));
                ChannelFuture b = ch.write(bytes(3000));
                ch.flush();
                return new ChannelFuture[] {a, b};
            }).get(5, TimeUnit.SECONDS);
            assertTrue(writes[0].await(5, TimeUnit.SECONDS) && writes[1].await(5, TimeUnit.SECONDS));
            assertTrue(writes[0].isSuccess(), String.valueOf(writes[0].cause()));
            assertTrue(writes[1].isSuccess(), "the second write went out in the same send: " + writes[1].cause());
            if (thenClose) {
                ch.close();
            }
            assertTrue(ch.closeFuture().await(5, TimeUnit.SECONDS));
            assertEquals(4000, peerRead.get(5, TimeUnit.SECONDS));
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.directBuffer(n).writeZero(n);
    }

    private static int readAll(ServerSocket listener) {
        try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
            int total = 0;
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
