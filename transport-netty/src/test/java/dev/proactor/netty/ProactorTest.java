package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The availability API and the event loop plumbing. */
class ProactorTest {

    @Test
    void availability() {
        assertTrue(Proactor.isAvailable(), Proactor.describe());
        Proactor.ensureAvailability();
        assertNull(Proactor.unavailabilityCause());
        DriverKind kind = Proactor.driverKind();
        assertNotNull(kind);
        assertTrue(Proactor.describe().contains(kind.toString()), Proactor.describe());
        // Every kind that cannot run here says why, and describe() shows it.
        for (DriverKind k : DriverKind.values()) {
            if (!Proactor.isAvailable(k)) {
                Throwable why = Proactor.unavailabilityCause(k);
                assertNotNull(why);
                assertTrue(Proactor.describe().contains(k + " not used"), Proactor.describe());
            }
        }
    }

    @Test
    void unavailableDriverFailsAtGroupConstruction() {
        DriverKind missing = Arrays.stream(DriverKind.values()).filter(k -> !Proactor.isAvailable(k)).findFirst().orElse(null);
        if (missing == null) {
            return;
        }
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(missing)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertNotNull(e.getCause());
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void handlerRunsTheConfiguredDriverAndRefusesForeignChannels(DriverKind kind) throws Exception {
        EventLoopGroup group = new ProactorEventLoopGroup(1, ProactorIoHandlerConfig.defaults().withDriverKind(kind)
                .withSubmissionEntries(64).withCompletionEntries(256));
        try {
            ProactorSocketChannel ch = new ProactorSocketChannel();
            group.register(ch).sync();
            assertEquals(kind, ch.driverKind());
            ch.close().sync();

            ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).register();
            assertTrue(f.await(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, f.cause());
            assertTrue(f.cause().getMessage().contains("incompatible event loop"), f.cause().getMessage());
        } finally {
            TestDrivers.shutdown(group);
        }
    }
}
