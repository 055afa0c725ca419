package dev.proactor.bench.transport;

import dev.proactor.netty.Proactor;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;

import java.util.List;

/** Proactor, once per runtime driver this harness compares. */
final class ProactorTransports {

    private ProactorTransports() {
    }

    static List<Transport> all() {
        return List.of(of("proactor-io_uring", DriverKind.IO_URING), of("proactor-poll", DriverKind.POLL),
                of("proactor-io_uring-single", DriverKind.IO_URING,
                        ProactorIoHandlerConfig.defaults().withRecvBufferRing(0, 4096)));
    }

    private static Transport of(String name, DriverKind kind) {
        return of(name, kind, ProactorIoHandlerConfig.defaults());
    }

    /** Proactor on {@code kind} with {@code config} (its driver kind is set here). */
    private static Transport of(String name, DriverKind kind, ProactorIoHandlerConfig config) {
        return new Transport(name,
                () -> {
                    Throwable cause = Proactor.unavailabilityCause(kind);
                    if (cause != null) {
                        throw new IllegalStateException("Proactor driver " + kind + " unavailable: " + cause, cause);
                    }
                },
                () -> ProactorIoHandler.newFactory(config.withDriverKind(kind)),
                ProactorServerSocketChannel.class, ProactorSocketChannel.class);
    }
}
