package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverStats;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-loop driver counters through the Netty API: they move with real traffic and any thread can read them. */
class DriverStatsTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void echoTrafficMovesTheCountersOfTheLoopThatCarriesIt(DriverKind kind) throws Exception {
        ProactorEventLoopGroup group = (ProactorEventLoopGroup) TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            List<DriverStats> before = group.stats();
            assertEquals(2, before.size(), "one entry per event loop");
            Channel server = new ServerBootstrap().group(group).channel(ProactorServerSocketChannel.class)
                    .childHandler(EchoHandlers.EchoServer.INSTANCE)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            byte[] data = EchoHandlers.EchoClient.randomBytes(256 * 1024, 7);
            EchoHandlers.EchoClient client = new EchoHandlers.EchoClient(data, 7);
            Channel ch = new Bootstrap().group(nio).channel(NioSocketChannel.class).handler(client)
                    .connect(server.localAddress()).sync().channel();
            assertArrayEquals(data, client.received.get(30, TimeUnit.SECONDS));

            List<DriverStats> after = Proactor.stats(group); // from the test thread, not a loop thread
            DriverStats total = after.get(0).minus(before.get(0)).plus(after.get(1).minus(before.get(1)));
            assertEquals(kind, total.kind());
            assertTrue(total.submitted() >= 3, () -> "accept, reads and writes were submitted: " + total);
            assertTrue(total.completions() >= 3, total::toString);
            assertTrue(total.kernelWaits() >= 1 && total.polls() >= 1, total::toString);

            ch.close().sync();
            server.close().sync();
        } finally {
            TestDrivers.shutdown(group, nio);
        }
        List<DriverStats> ended = group.stats();
        assertTrue(ended.get(0).plus(ended.get(1)).cancels() >= 1,
                () -> "closing the listener and the connection cancelled their pending ops: " + ended);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void aLoopThatHasNotStartedReportsZero(DriverKind kind) {
        ProactorEventLoopGroup group = (ProactorEventLoopGroup) TestDrivers.proactor(kind, 1);
        try {
            assertEquals(List.of(DriverStats.zero(kind)), group.stats());
        } finally {
            TestDrivers.shutdown(group);
        }
    }

    @Test
    void aGroupOfAnotherTransportIsRejected() {
        EventLoopGroup nio = TestDrivers.nio(1);
        try {
            assertThrows(IllegalArgumentException.class, () -> Proactor.stats(nio));
        } finally {
            TestDrivers.shutdown(nio);
        }
    }
}
