package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketFileRegionTest;

import java.util.List;

// Every case runs, custom FileRegions included (Proactor copies those through transferTo; a DefaultFileRegion on a
// FileChannel is spliced when the build opens sun.nio.ch and java.io to reach its descriptor, see the POM's argLine).
public class ProactorSocketFileRegionTest extends SocketFileRegionTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }
}
