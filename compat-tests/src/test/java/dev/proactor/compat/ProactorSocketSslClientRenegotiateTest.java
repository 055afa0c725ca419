package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketSslClientRenegotiateTest;

import java.util.List;

// Every case is skipped on this build ("assumption is not true"): the test assumes OpenSsl.isRenegotiationSupported(),
// and the only OpenSSL here is BoringSSL (netty-tcnative-boringssl-static), which does not renegotiate.
public class ProactorSocketSslClientRenegotiateTest extends SocketSslClientRenegotiateTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }
}
