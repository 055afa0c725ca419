package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramMulticastTest;

import java.util.List;

public class ProactorDatagramMulticastTest extends DatagramMulticastTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }
}
