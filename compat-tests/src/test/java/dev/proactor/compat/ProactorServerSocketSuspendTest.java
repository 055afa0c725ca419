package dev.proactor.compat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.ServerSocketSuspendTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inherited {@code testSuspendAndResumeAccept} stays disabled as Netty has it ("fails on osx"): on this Linux
 * host it fails with Netty's own NIO transport too, because the third of its ten blocking connects to a
 * backlog-1 listener that accepts nothing times out (Linux drops SYNs while the accept queue is full), so it
 * cannot tell a Proactor bug from the host's TCP behaviour. {@link #acceptWaitsForAutoRead} checks the same
 * property (no accept while AUTO_READ is off, every pending connection accepted once it is on) with a backlog
 * that holds all the connections.
 */
@SingleDriver
public class ProactorServerSocketSuspendTest extends ServerSocketSuspendTest {
    private static final int CONNECTIONS = 10;

    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.serverSocket();
    }

    @Test
    @Timeout(30)
    void acceptWaitsForAutoRead() throws Exception {
        for (TestsuitePermutation.BootstrapFactory<ServerBootstrap> factory : newFactories()) {
            acceptWaitsForAutoRead(factory.newInstance());
        }
    }

    private void acceptWaitsForAutoRead(ServerBootstrap sb) throws Exception {
        Counter counter = new Counter();
        Channel server = sb.option(ChannelOption.SO_BACKLOG, CONNECTIONS * 2)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(counter)
                .bind(newSocketAddress()).sync().channel();
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                Socket s = new Socket();
                s.connect(server.localAddress(), 10_000);
                clients.add(s);
            }
            // The kernel has completed every handshake; the channel must still not have accepted any of them.
            Thread.sleep(500);
            assertEquals(0, counter.accepted.get(), "accepted while AUTO_READ was off");

            server.config().setAutoRead(true);
            assertTrue(counter.all.await(10, TimeUnit.SECONDS),
                    () -> "accepted " + counter.accepted.get() + " of " + CONNECTIONS + " after AUTO_READ was turned on");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            server.close().sync();
        }
    }

    @ChannelHandler.Sharable
    private static final class Counter extends ChannelInboundHandlerAdapter {
        final AtomicInteger accepted = new AtomicInteger();
        final CountDownLatch all = new CountDownLatch(CONNECTIONS);

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            accepted.incrementAndGet();
            all.countDown();
            ctx.fireChannelActive();
        }
    }
}
