package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drivers this host can run (tests are parameterized over them) and event loop groups for tests. */
public final class TestDrivers {
    private TestDrivers() {
    }

    /** @MethodSource("dev.proactor.netty.TestDrivers#available") */
    public static Stream<DriverKind> available() {
        return Arrays.stream(DriverKind.values()).filter(Proactor::isAvailable);
    }

    static EventLoopGroup proactor(DriverKind kind, int threads) {
        return new ProactorEventLoopGroup(threads, ProactorIoHandlerConfig.defaults().withDriverKind(kind));
    }

    static EventLoopGroup nio(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    }

    /** Shuts the groups down and fails if they do not terminate in time. */
    static void shutdown(EventLoopGroup... groups) {
        Future<?>[] fs = new Future<?>[groups.length];
        for (int i = 0; i < groups.length; i++) {
            if (groups[i] != null) {
                fs[i] = groups[i].shutdownGracefully(0, 10, TimeUnit.SECONDS);
            }
        }
        for (Future<?> f : fs) {
            if (f != null) {
                assertTrue(f.awaitUninterruptibly(20, TimeUnit.SECONDS), "event loop group did not terminate");
            }
        }
    }
}
