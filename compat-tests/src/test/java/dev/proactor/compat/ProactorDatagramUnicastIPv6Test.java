package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramUnicastIPv6Test;

import java.util.List;

public class ProactorDatagramUnicastIPv6Test extends DatagramUnicastIPv6Test {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }
}
