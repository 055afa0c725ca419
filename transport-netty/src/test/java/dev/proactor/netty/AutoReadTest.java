package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** AUTO_READ=false: nothing is read until read() is called, and each read() delivers what is there. */
class AutoReadTest {
    private static final long QUIET_MS = 300;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void explicitReadOnly(DriverKind kind) throws Exception {
        EventLoopGroup group = TestDrivers.proactor(kind, 1);
        Recorder recorder = new Recorder();
        CompletableFuture<Channel> child = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(recorder);
                            child.complete(ch);
                        }
                    })
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            try (Socket peer = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort())) {
                OutputStream out = peer.getOutputStream();
                Channel ch = child.get(10, TimeUnit.SECONDS);

                send(out, "A");
                assertNull(recorder.reads.poll(QUIET_MS, TimeUnit.MILLISECONDS), "read without read()");
                ch.read();
                assertEquals("A", recorder.reads.poll(10, TimeUnit.SECONDS));
                awaitReadCompletes(recorder, 1);

                send(out, "B");
                assertNull(recorder.reads.poll(QUIET_MS, TimeUnit.MILLISECONDS), "read without read()");
                ch.read();
                assertEquals("B", recorder.reads.poll(10, TimeUnit.SECONDS));

                // read() before the data: the read waits for it.
                ch.read();
                Thread.sleep(50);
                send(out, "C");
                assertEquals("C", recorder.reads.poll(10, TimeUnit.SECONDS));
                send(out, "D");
                assertNull(recorder.reads.poll(QUIET_MS, TimeUnit.MILLISECONDS), "one read() gave two reads");

                // AUTO_READ on: everything pending and everything after arrives without read().
                ch.config().setAutoRead(true);
                assertEquals("D", recorder.reads.poll(10, TimeUnit.SECONDS));
                send(out, "E");
                assertEquals("E", recorder.reads.poll(10, TimeUnit.SECONDS));

                // AUTO_READ off while a receive waits: it is cancelled, later data waits for read().
                ch.config().setAutoRead(false);
                Thread.sleep(50);
                send(out, "F");
                assertNull(recorder.reads.poll(QUIET_MS, TimeUnit.MILLISECONDS), "read after AUTO_READ was turned off");
                ch.read();
                assertEquals("F", recorder.reads.poll(10, TimeUnit.SECONDS));
            }
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    private static void awaitReadCompletes(Recorder recorder, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (recorder.readCompletes.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(n, recorder.readCompletes.get(), "channelReadComplete after the read");
    }

    private static void send(OutputStream out, String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @io.netty.channel.ChannelHandler.Sharable
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final LinkedBlockingQueue<String> reads = new LinkedBlockingQueue<>();
        final AtomicInteger readCompletes = new AtomicInteger();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
            ((ByteBuf) msg).release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes.incrementAndGet();
        }
    }
}
