package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketAddressesTest;

import java.net.SocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

public class ProactorDomainSocketAddressesTest extends SocketAddressesTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return ProactorSocketTestPermutation.newDomainSocketAddress();
    }

    // Proactor on both ends, as epoll runs it: Netty's NIO domain channels report an end without a name (a client
    // that connects without binding, and the accepted side of it) as null, which this test rejects; epoll and
    // Proactor report the empty DomainSocketAddress.
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.proactorOnlyDomainSocket(
                "Netty's NIO domain channels report an unnamed end as null");
    }

    // The base check is for IP addresses.
    @Override
    protected void assertAddress(SocketAddress address) {
        assertNotNull(assertInstanceOf(DomainSocketAddress.class, address).path());
    }
}
