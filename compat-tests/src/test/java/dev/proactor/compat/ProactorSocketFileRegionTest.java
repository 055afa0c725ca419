package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketFileRegionTest;
import org.junit.jupiter.api.Disabled;

import java.util.List;

@Disabled("Proactor does not support FileRegion yet: ProactorSocketChannel accepts only ByteBuf messages. "
        + "Zero-copy file transfer is issue 5; remove this line when it lands.")
public class ProactorSocketFileRegionTest extends SocketFileRegionTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }
}
