package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramMulticastIPv6Test;

import java.util.List;

public class ProactorDatagramMulticastIPv6Test extends DatagramMulticastIPv6Test {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }
}
