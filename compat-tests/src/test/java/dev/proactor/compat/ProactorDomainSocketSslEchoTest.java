package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketSslEchoTest;

import java.net.SocketAddress;
import java.util.List;

// Single-driver columns only (io_uring-io_uring, poll-poll: Proactor on both ends, the shape epoll runs its domain
// rows in). TLS over a domain socket differs from TLS over TCP only in the channel underneath; the domain echo rows
// cross that channel with every peer, and the TCP SslEcho row crosses TLS with every peer. All eight columns would add
// about 3 minutes to a module that must stay under 15 minutes on two cores.
@SingleDriver
public class ProactorDomainSocketSslEchoTest extends SocketSslEchoTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.domainSocket();
    }
}
