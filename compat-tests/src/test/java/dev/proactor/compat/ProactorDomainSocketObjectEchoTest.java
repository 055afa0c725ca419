package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketObjectEchoTest;

import java.net.SocketAddress;
import java.util.List;

public class ProactorDomainSocketObjectEchoTest extends SocketObjectEchoTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.domainSocket();
    }
}
