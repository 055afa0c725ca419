package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketMultipleConnectTest;

import java.util.List;

public class ProactorSocketMultipleConnectTest extends SocketMultipleConnectTest {
    // The base class keeps only combos with a NIO client (OIO clients cannot tell a second connect apart);
    // Proactor clients must raise AlreadyConnectedException too, so every pair runs, as epoll's and io_uring's do.
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }
}
