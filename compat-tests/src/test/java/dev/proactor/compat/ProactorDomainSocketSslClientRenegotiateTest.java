package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketSslClientRenegotiateTest;

import java.net.SocketAddress;
import java.util.List;

// Skipped on this build like the TCP row: BoringSSL (the only OpenSSL here) does not renegotiate.
public class ProactorDomainSocketSslClientRenegotiateTest extends SocketSslClientRenegotiateTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.domainSocket();
    }
}
