package dev.proactor.compat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.AbstractSocketShutdownOutputByPeerTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;

/** The peer is a plain blocking JDK Unix-domain socket; the server end is the Proactor channel under test. */
@SingleDriver
public class ProactorDomainSocketShutdownOutputByPeerTest extends AbstractSocketShutdownOutputByPeerTest<SocketChannel> {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.serverDomainSocket();
    }

    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected SocketChannel newSocket() {
        try {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void connect(SocketChannel s, SocketAddress address) throws IOException {
        s.connect(NioDomainAddresses.toJdk(address));
    }

    @Override
    protected void write(SocketChannel s, int data) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1).put(0, (byte) data);
        while (one.hasRemaining()) {
            s.write(one);
        }
    }

    @Override
    protected void shutdownOutput(SocketChannel s) throws IOException {
        s.shutdownOutput();
    }

    @Override
    protected void close(SocketChannel s) throws IOException {
        s.close();
    }
}
