package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketHalfClosedTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.List;

public class ProactorSocketHalfClosedTest extends SocketHalfClosedTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }

    // Deliberate difference (Netty's io_uring transport disables this test too, without saying why): the test's
    // "leader" handler calls writeAndFlush in channelActive and then blocks its event loop until the peer has read
    // that write. A completion transport hands the send to the kernel when the event loop next polls its driver
    // (one io_uring_enter per loop iteration; the poll driver also works at poll time), which cannot happen
    // while the loop is blocked: the test deadlocks by construction (observed: 20 s timeout, both drivers).
    @Disabled("blocks the event loop right after writeAndFlush; a completion transport sends when the loop polls")
    @Test
    @Override
    public void testAutoCloseFalseDoesShutdownOutput(TestInfo testInfo) throws Throwable {
        super.testAutoCloseFalseDoesShutdownOutput(testInfo);
    }
}
