package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketConnectionAttemptTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The testsuite's "bad host" (198.51.100.254 unless -Dio.netty.testsuite.badHost says otherwise) must swallow
 * connection attempts. This machine's network accepts every outbound connection, so the build points the bad
 * host at a loopback address and this class turns that address into a {@link ConnectBlackhole} while it runs.
 */
@SingleDriver
public class ProactorSocketConnectionAttemptTest extends SocketConnectionAttemptTest {
    private static ConnectBlackhole blackhole;

    @BeforeAll
    static void openBlackhole() throws IOException {
        InetAddress host = InetAddress.getByName(System.getProperty("io.netty.testsuite.badHost", "198.51.100.254"));
        int port = Integer.getInteger("io.netty.testsuite.badPort", 65535);
        if (host.isLoopbackAddress()) {
            blackhole = new ConnectBlackhole(new InetSocketAddress(host, port));
        }
    }

    @AfterAll
    static void closeBlackhole() throws IOException {
        if (blackhole != null) {
            blackhole.close();
        }
    }

    @Override
    protected List<TestsuitePermutation.BootstrapFactory<Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.clientSocket();
    }
}
