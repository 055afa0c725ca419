package dev.proactor.integration.grpc;

import dev.proactor.integration.support.Loops;
import dev.proactor.netty.ProactorEventLoopGroup;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gRPC server and a client channel to it, both on Proactor event loops and channels with a forced driver. */
final class GrpcOnProactor implements AutoCloseable {
    private final ProactorEventLoopGroup serverGroup;
    private final ProactorEventLoopGroup clientGroup;
    final Server server;
    final ManagedChannel channel;

    GrpcOnProactor(DriverKind kind, ServerServiceDefinition service) throws IOException {
        serverGroup = Loops.proactor(kind, 2);
        clientGroup = Loops.proactor(kind, 1);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .bossEventLoopGroup(serverGroup)
                .workerEventLoopGroup(serverGroup)
                .channelType(ProactorServerSocketChannel.class)
                .addService(service)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", server.getPort()))
                .eventLoopGroup(clientGroup)
                .channelType(ProactorSocketChannel.class)
                .usePlaintext()
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            channel.shutdownNow();
            server.shutdownNow();
            assertTrue(channel.awaitTermination(10, TimeUnit.SECONDS), "channel did not terminate");
            assertTrue(server.awaitTermination(10, TimeUnit.SECONDS), "server did not terminate");
        } finally {
            Loops.shutdown(clientGroup, serverGroup);
        }
    }
}
