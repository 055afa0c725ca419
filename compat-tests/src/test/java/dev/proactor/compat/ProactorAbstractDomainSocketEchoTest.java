package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.testsuite.transport.TestsuitePermutation;

import java.net.SocketAddress;
import java.util.List;
import java.util.UUID;

/** The echo tests over a Linux abstract-namespace name (leading NUL: no file is created). */
public class ProactorAbstractDomainSocketEchoTest extends ProactorDomainSocketEchoTest {
    @Override
    protected SocketAddress newSocketAddress() {
        return new DomainSocketAddress("\0proactor-compat-" + UUID.randomUUID());
    }

    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.proactorOnlyDomainSocket(
                "abstract-namespace names have no java.net.UnixDomainSocketAddress form, so NIO cannot use them");
    }
}
