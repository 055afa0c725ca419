package dev.proactor.integration.http;

import dev.proactor.integration.support.Loops;
import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket echo: Netty's WebSocket server on Proactor, Netty's WebSocket client on NIO. */
class WebSocketEchoTest {

    /** A frame as the client received it (copied out of its buffer). */
    private record Received(String type, byte[] data) {
        String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void echoWithNettyNioClient(DriverKind kind) throws Exception {
        EventLoopGroup nio = Loops.nio(1);
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        CompletableFuture<Void> handshake = new CompletableFuture<>();
        try (HttpTestServer server = HttpTestServer.start(kind)) {
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(URI.create("ws://127.0.0.1:" + server.cleartextPort() + "/ws"))
                    .maxFramePayloadLength(1 << 20)
                    .dropPongFrames(false)
                    .build();
            Channel ch = new Bootstrap().group(nio).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                    new WebSocketClientProtocolHandler(config), new WebSocketFrameAggregator(1 << 20),
                                    new Collector(received, handshake));
                        }
                    })
                    .connect(new InetSocketAddress("127.0.0.1", server.cleartextPort()))
                    .sync().channel();
            handshake.get(10, TimeUnit.SECONDS);

            for (int i = 0; i < 100; i++) {
                ch.writeAndFlush(new TextWebSocketFrame("message " + i));
            }
            for (int i = 0; i < 100; i++) {
                Received r = take(received);
                assertEquals("text", r.type());
                assertEquals("message " + i, r.text());
            }

            byte[] blob = new byte[512 << 10];
            new Random(5).nextBytes(blob);
            ch.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(blob)));
            Received binary = take(received);
            assertEquals("binary", binary.type());
            assertArrayEquals(blob, binary.data());

            // a fragmented message: echoed fragment by fragment, joined again by the client's aggregator
            ch.write(new TextWebSocketFrame(false, 0, "frag-1 "));
            ch.write(new ContinuationWebSocketFrame(false, 0, "frag-2 "));
            ch.writeAndFlush(new ContinuationWebSocketFrame(true, 0, "frag-3"));
            assertEquals("frag-1 frag-2 frag-3", take(received).text());

            ch.writeAndFlush(new PingWebSocketFrame(Unpooled.copiedBuffer("are you there", StandardCharsets.UTF_8)));
            Received pong = take(received);
            assertEquals("pong", pong.type());
            assertEquals("are you there", pong.text());

            ch.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
            assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS), "the server must answer the close and close");
        } finally {
            Loops.shutdown(nio);
        }
    }

    private static Received take(BlockingQueue<Received> queue) throws InterruptedException {
        Received r = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no frame echoed within 10 s");
        return r;
    }

    private static final class Collector extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final BlockingQueue<Received> received;
        private final CompletableFuture<Void> handshake;

        Collector(BlockingQueue<Received> received, CompletableFuture<Void> handshake) {
            this.received = received;
            this.handshake = handshake;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            String type = frame instanceof TextWebSocketFrame ? "text"
                    : frame instanceof BinaryWebSocketFrame ? "binary"
                    : frame instanceof PongWebSocketFrame ? "pong"
                    : frame.getClass().getSimpleName();
            received.add(new Received(type, ByteBufUtil.getBytes(frame.content())));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }
    }
}
