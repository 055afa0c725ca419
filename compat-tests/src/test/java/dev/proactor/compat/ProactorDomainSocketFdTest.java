package dev.proactor.compat;

import dev.proactor.netty.ProactorDomainSocketChannel;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.AbstractSocketTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descriptor passing (SCM_RIGHTS), the property epoll's {@code EpollDomainSocketFdTest} checks: the server sends the
 * descriptor of a fresh socket, the client (read mode FILE_DESCRIPTORS) receives an open descriptor, and that
 * descriptor is a new number for the very same socket (same kernel object in /proc/self/fd).
 */
public class ProactorDomainSocketFdTest extends AbstractSocketTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.proactorOnlyDomainSocket(
                "descriptor passing: Netty's NIO domain channels cannot send or receive descriptors");
    }

    @Test
    @Timeout(30)
    public void testSendRecvFd(TestInfo testInfo) throws Throwable {
        run(testInfo, this::sendRecvFd);
    }

    private void sendRecvFd(ServerBootstrap sb, Bootstrap cb) throws Throwable {
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        // Registered (never connected) so that it can be closed through its event loop at the end.
        ProactorDomainSocketChannel sent = new ProactorDomainSocketChannel();
        cb.config().group().register(sent).sync();
        String sentTarget = Files.readSymbolicLink(Path.of("/proc/self/fd/" + sent.fd().intValue())).toString();
        sb.childHandler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(sent.fd()).addListener(f -> {
                    if (!f.isSuccess()) {
                        received.add(f.cause());
                    }
                });
            }
        });
        cb.option(UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS);
        cb.handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                received.add(cause);
                ctx.close();
            }
        });
        Channel sc = sb.bind().sync().channel();
        Channel cc = cb.connect(sc.localAddress()).sync().channel();
        try {
            Object msg = received.poll(20, TimeUnit.SECONDS);
            if (msg instanceof Throwable) {
                throw (Throwable) msg;
            }
            FileDescriptor fd = assertInstanceOf(FileDescriptor.class, msg, () -> "expected a descriptor, got " + msg);
            try {
                assertTrue(fd.isOpen());
                assertNotEquals(sent.fd().intValue(), fd.intValue(), "the receiver gets its own descriptor number");
                assertEquals(sentTarget, Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd.intValue())).toString(),
                        "the received descriptor names the socket that was sent");
            } finally {
                fd.close();
            }
            assertFalse(fd.isOpen());
            assertNull(received.poll(100, TimeUnit.MILLISECONDS), "exactly one message");
        } finally {
            cc.close().sync();
            sc.close().sync();
            sent.close().sync();
        }
    }
}
