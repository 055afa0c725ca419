package dev.proactor.integration.support;

import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.runtime.DriverKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event loop groups for the suites: Proactor on a forced driver, and NIO for peers that must not be Proactor. */
public final class Loops {
    private Loops() {
    }

    public static ProactorEventLoopGroup proactor(DriverKind kind, int threads) {
        return new ProactorEventLoopGroup(threads, ProactorIoHandlerConfig.defaults().withDriverKind(kind));
    }

    public static EventLoopGroup nio(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** Shuts the groups down (nulls allowed) and fails if one does not terminate in time. */
    public static void shutdown(EventLoopGroup... groups) {
        Future<?>[] futures = new Future<?>[groups.length];
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] != null) {
                futures[i] = groups[i].shutdownGracefully(0, 5, TimeUnit.SECONDS);
            }
        }
        for (Future<?> f : futures) {
            if (f != null) {
                assertTrue(f.awaitUninterruptibly(20, TimeUnit.SECONDS), "event loop group did not terminate");
            }
        }
    }
}
