package dev.proactor.examples;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import dev.proactor.runtime.Drivers;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The demo answers curl, with keep-alive, on each driver the host has. */
class DemoServerTest {

    @ParameterizedTest
    @EnumSource(value = DriverKind.class, names = {"IO_URING", "POLL"})
    void answersCurlWithKeepAlive(DriverKind kind) throws Exception {
        assumeTrue(Drivers.isAvailable(kind), () -> kind + " unavailable: " + Drivers.unavailabilityCause(kind));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(kind)));
        try {
            Channel server = DemoServer.start(group, new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            String url = "http://127.0.0.1:" + port + "/hello";
            // Three URLs on one curl command line reuse one connection: keep-alive is exercised.
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", url, url, url)
                    .redirectErrorStream(true).start();
            String out = read(curl.getInputStream());
            assertTrue(curl.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), out);
            String line = "Hello from Proactor (" + kind + " driver): GET /hello\n";
            assertEquals(line + line + line, out);
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        DemoServer.printStats(group, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String stats = printed.toString(StandardCharsets.UTF_8);
        assertTrue(stats.startsWith("loop 0 " + kind.propertyName() + ": submitted="), stats);
        DriverStats s = Proactor.stats(group).get(0);
        // accept, then per request at least a read and a write: three requests on one connection
        assertTrue(s.submitted() >= 7 && s.completions() >= 7 && s.kernelWaits() >= 1, s::toString);
    }

    private static String read(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
