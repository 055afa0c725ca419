package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.unix.tests.UnixTestUtils;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.Assumptions;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * The SSL echo tests on the loopback address the JDK reports, which on some hosts differs from Netty's
 * {@link NetUtil#LOCALHOST} that {@link ProactorSocketSslEchoTest} uses (on the build machine: 127.0.0.1 against ::1).
 *
 * <p>Single-driver columns only: what differs from ProactorSocketSslEchoTest is the address family of the sockets,
 * which these columns cover with Proactor at both ends; TLS against every peer is ProactorSocketSslEchoTest's, in
 * all eight columns. The 192 cases cost about a minute per column, and the module must stay under 15 minutes.
 */
@SingleDriver
public class ProactorJdkLoopbackSocketSslEchoTest extends ProactorSocketSslEchoTest {
    // Where both are the same address the 192 cases per column would repeat ProactorSocketSslEchoTest exactly:
    // skipped, saying so (checked per case, not in @BeforeAll, so that the matrix shows the reason).
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        InetSocketAddress jdk = (InetSocketAddress) UnixTestUtils.newInetLoopbackSocketAddress();
        Assumptions.assumeFalse(jdk.getAddress().equals(NetUtil.LOCALHOST),
                () -> "the JDK's loopback address is Netty's LOCALHOST (" + NetUtil.LOCALHOST.getHostAddress()
                        + ") on this host: ProactorSocketSslEchoTest already runs these cases on it");
        return super.newFactories();
    }

    @Override
    protected SocketAddress newSocketAddress() {
        return UnixTestUtils.newInetLoopbackSocketAddress();
    }
}
