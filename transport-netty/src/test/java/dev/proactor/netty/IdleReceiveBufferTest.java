package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On the poll driver a connection waiting for data holds no receive buffer: its read waits for readability first
 * and takes a buffer only when data is there (as epoll and NIO do), so idle connections cost no buffer memory.
 * io_uring's RECV needs its buffer while it waits (as Netty's io_uring transport), so this is the poll driver's.
 */
@EnabledOnOs(OS.LINUX)
class IdleReceiveBufferTest {

    @Test
    void anEchoConnectionWaitingForItsNextMessageHoldsNoBuffer() throws Exception {
        EventLoopGroup group = TestDrivers.proactor(DriverKind.POLL, 1);
        CompletableFuture<AbstractProactorStreamChannel> accepted = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            accepted.complete((AbstractProactorStreamChannel) ch);
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.write(msg);
                                }

                                @Override
                                public void channelReadComplete(ChannelHandlerContext ctx) {
                                    ctx.flush();
                                }
                            });
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket()) {
                peer.connect(server.localAddress());
                peer.setSoTimeout(10_000);
                AbstractProactorStreamChannel ch = accepted.get(10, TimeUnit.SECONDS);
                OutputStream out = peer.getOutputStream();
                DataInputStream in = new DataInputStream(peer.getInputStream());
                for (int size : new int[] {1, 100, 4096, 65536, 300_000, 7}) {
                    byte[] sent = new byte[size];
                    Arrays.fill(sent, (byte) size);
                    out.write(sent);
                    byte[] echoed = new byte[size];
                    in.readFully(echoed);
                    assertArrayEquals(sent, echoed, size + " bytes echoed");
                    boolean[] state = ch.eventLoop().submit(() -> new boolean[] {ch.isReadInFlight(), ch.holdsReceiveBuffer()})
                            .get(10, TimeUnit.SECONDS);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!state[0] && System.nanoTime() < deadline) { // the echo's write completes first
                        Thread.sleep(5);
                        state = ch.eventLoop().submit(() -> new boolean[] {ch.isReadInFlight(), ch.holdsReceiveBuffer()})
                                .get(10, TimeUnit.SECONDS);
                    }
                    assertTrue(state[0], "reading again after " + size + " bytes");
                    assertFalse(state[1], "no buffer held while waiting for data after " + size + " bytes");
                }
            }
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }
}
