package dev.proactor.compat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.ServerSocketSuspendTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.List;

@SingleDriver
public class ProactorServerSocketSuspendTest extends ServerSocketSuspendTest {
    @Override
    protected List<TestsuitePermutation.BootstrapFactory<ServerBootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.serverSocket();
    }

    // Re-declared without the base class's @Disabled: Netty disables it because it "fails on osx"; this module
    // runs on Linux only, and suspending accept (AUTO_READ=false on the server channel) is exactly what a
    // completion transport with multishot accept can get wrong.
    @Test
    @Override
    public void testSuspendAndResumeAccept(TestInfo testInfo) throws Throwable {
        super.testSuspendAndResumeAccept(testInfo);
    }
}
