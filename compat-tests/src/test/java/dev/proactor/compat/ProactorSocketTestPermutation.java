package dev.proactor.compat;

import dev.proactor.runtime.DriverUnavailableException;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.tests.UnixTestUtils;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapFactory;
import io.netty.testsuite.transport.socket.SocketTestPermutation;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Assumptions;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Netty's testsuite permutation for Proactor: servers {io_uring, poll, NIO} x clients {io_uring, poll, NIO},
 * minus NIO x NIO, each driver only where it can run.
 *
 * <p>The Maven build runs the whole suite once per pair (one Surefire execution each, selected with
 * {@value #SERVER_PROPERTY} and {@value #CLIENT_PROPERTY}) so that every test has its own result per pair in
 * the matrix. Without those properties (an IDE run) every available pair runs in one go.
 *
 * <p>Datagram ({@link #datagram}) and Unix domain stream ({@link #domainSocket()}) rows cross the same pairs. Proactor
 * has no Unix datagram channel, so the testsuite's domain-datagram classes have no row.
 */
public final class ProactorSocketTestPermutation extends SocketTestPermutation {
    public static final String SERVER_PROPERTY = "proactor.compat.server";
    public static final String CLIENT_PROPERTY = "proactor.compat.client";
    public static final ProactorSocketTestPermutation INSTANCE = new ProactorSocketTestPermutation();

    private final Map<Transport, EventLoopGroup> groups = new EnumMap<>(Transport.class);

    private ProactorSocketTestPermutation() {
    }

    /** The pair the system properties select, or null when neither is set. */
    public static TransportPair selectedPair() {
        String server = System.getProperty(SERVER_PROPERTY, "");
        String client = System.getProperty(CLIENT_PROPERTY, "");
        if (server.isBlank() && client.isBlank()) {
            return null;
        }
        if (server.isBlank() || client.isBlank()) {
            throw new IllegalStateException("set both -D" + SERVER_PROPERTY + " and -D" + CLIENT_PROPERTY);
        }
        return new TransportPair(Transport.fromId(server), Transport.fromId(client));
    }

    /** The pairs this run covers; aborts the calling test (reported as skipped, with the reason) if none can run. */
    public List<TransportPair> pairs() {
        TransportPair selected = selectedPair();
        if (selected != null) {
            requireAvailable(selected.server());
            requireAvailable(selected.client());
            return List.of(selected);
        }
        List<TransportPair> pairs = new ArrayList<>();
        for (TransportPair pair : TransportPair.all()) {
            if (pair.server().isAvailable() && pair.client().isAvailable()) {
                pairs.add(pair);
            }
        }
        Assumptions.assumeFalse(pairs.isEmpty(), "no Proactor driver can run here");
        return pairs;
    }

    /**
     * The Proactor drivers a one-sided test covers (server only, client only, or no peer at all): in a selected
     * column only when both of its ends are the same driver, else every available driver.
     */
    public List<Transport> singleDrivers() {
        TransportPair selected = selectedPair();
        if (selected != null) {
            Assumptions.assumeTrue(selected.isSingleDriver(),
                    "one-sided test: it runs in the io_uring-io_uring and poll-poll columns, not in " + selected);
            requireAvailable(selected.server());
            return List.of(selected.server());
        }
        List<Transport> drivers = new ArrayList<>();
        for (Transport t : Transport.values()) {
            if (t.isProactor() && t.isAvailable()) {
                drivers.add(t);
            }
        }
        Assumptions.assumeFalse(drivers.isEmpty(), "no Proactor driver can run here");
        return drivers;
    }

    /** For tests that take exactly one driver: the selected column's, or the first available one. */
    public Transport singleDriver() {
        return singleDrivers().get(0);
    }

    private static void requireAvailable(Transport transport) {
        DriverUnavailableException why = transport.unavailabilityCause();
        Assumptions.assumeTrue(why == null, () -> why.getMessage());
    }

    /**
     * The event loop group of a transport for the running test class (the testsuite's own NIO_GROUP is not used):
     * {@link EventLoopGroupsPerClass} shuts them down after each class, so that an event loop which a failed
     * test left blocked in a handler cannot stall the classes after it.
     */
    public synchronized EventLoopGroup group(Transport transport) {
        return groups.computeIfAbsent(transport, t -> new MultiThreadIoEventLoopGroup(
                NUM_THREADS, new DefaultThreadFactory("testsuite-" + t.id(), true), t.ioHandlerFactory()));
    }

    /** Shuts down every group handed out so far; returns those that did not terminate within the timeout. */
    public List<String> closeGroups(long timeout, TimeUnit unit) throws InterruptedException {
        List<EventLoopGroup> closing;
        synchronized (this) {
            closing = new ArrayList<>(groups.values());
            groups.clear();
        }
        for (EventLoopGroup group : closing) {
            group.shutdownGracefully(0, timeout, unit);
        }
        List<String> stuck = new ArrayList<>();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (EventLoopGroup group : closing) {
            if (!group.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                stuck.add(group.toString());
            }
        }
        return stuck;
    }

    public BootstrapFactory<ServerBootstrap> serverFactory(Transport transport) {
        return () -> new ServerBootstrap().group(group(transport)).channel(transport.serverSocketChannel());
    }

    public BootstrapFactory<Bootstrap> clientFactory(Transport transport) {
        return () -> new Bootstrap().group(group(transport)).channel(transport.socketChannel());
    }

    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socket() {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> combos = new ArrayList<>();
        for (TransportPair pair : pairs()) {
            combos.addAll(combo(List.of(serverFactory(pair.server())), List.of(clientFactory(pair.client()))));
        }
        return combos;
    }

    // Proactor has no TCP fast open option yet, so the fast-open permutations are the plain ones.
    @Override
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> socketWithFastOpen() {
        return socket();
    }

    @Override
    public List<BootstrapFactory<ServerBootstrap>> serverSocket() {
        List<BootstrapFactory<ServerBootstrap>> factories = new ArrayList<>();
        for (Transport t : singleDrivers()) {
            factories.add(serverFactory(t));
        }
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocket() {
        List<BootstrapFactory<Bootstrap>> factories = new ArrayList<>();
        for (Transport t : singleDrivers()) {
            factories.add(clientFactory(t));
        }
        return factories;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> clientSocketWithFastOpen() {
        return clientSocket();
    }

    @Override
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> datagram(SocketProtocolFamily family) {
        List<BootstrapComboFactory<Bootstrap, Bootstrap>> combos = new ArrayList<>();
        for (TransportPair pair : pairs()) {
            combos.addAll(combo(List.of(datagramFactory(pair.server(), family)),
                    List.of(datagramFactory(pair.client(), family))));
        }
        return combos;
    }

    /** Both ends Proactor, for tests of Proactor-only behaviour (as epoll's {@code epollOnlyDatagram}). */
    public List<BootstrapComboFactory<Bootstrap, Bootstrap>> proactorOnlyDatagram(SocketProtocolFamily family) {
        List<BootstrapComboFactory<Bootstrap, Bootstrap>> combos = new ArrayList<>();
        for (TransportPair pair : proactorPairs("a Proactor-only datagram test")) {
            combos.addAll(combo(List.of(datagramFactory(pair.server(), family)),
                    List.of(datagramFactory(pair.client(), family))));
        }
        return combos;
    }

    @Override
    public List<BootstrapFactory<Bootstrap>> datagramSocket() {
        List<BootstrapFactory<Bootstrap>> factories = new ArrayList<>();
        for (Transport t : singleDrivers()) {
            factories.add(() -> new Bootstrap().group(group(t)).channel(t.datagramChannelClass()));
        }
        return factories;
    }

    public BootstrapFactory<Bootstrap> datagramFactory(Transport transport, SocketProtocolFamily family) {
        return () -> new Bootstrap().group(group(transport)).channelFactory(transport.datagramChannel(family));
    }

    /** Unix domain stream sockets: every pair, NIO ends through Netty's NIO domain channels. */
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> domainSocket() {
        return domainSocket(pairs());
    }

    /**
     * Unix domain stream sockets with Proactor on both ends, for tests that need what only Unix-native channels
     * have (file descriptor passing, abstract-namespace names): in a column with a NIO end they are skipped.
     */
    public List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> proactorOnlyDomainSocket(String why) {
        return domainSocket(proactorPairs(why));
    }

    private List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> domainSocket(List<TransportPair> pairs) {
        List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> combos = new ArrayList<>();
        for (TransportPair pair : pairs) {
            combos.addAll(combo(List.of(serverDomainFactory(pair.server())), List.of(clientDomainFactory(pair.client()))));
        }
        return combos;
    }

    public List<BootstrapFactory<ServerBootstrap>> serverDomainSocket() {
        List<BootstrapFactory<ServerBootstrap>> factories = new ArrayList<>();
        for (Transport t : singleDrivers()) {
            factories.add(serverDomainFactory(t));
        }
        return factories;
    }

    public BootstrapFactory<ServerBootstrap> serverDomainFactory(Transport transport) {
        return () -> new ServerBootstrap().group(group(transport)).channelFactory(transport.serverDomainSocketChannel());
    }

    public BootstrapFactory<Bootstrap> clientDomainFactory(Transport transport) {
        return () -> new Bootstrap().group(group(transport)).channelFactory(transport.domainSocketChannel());
    }

    /** A fresh socket file name in the temp directory (the file itself does not exist yet). */
    public static DomainSocketAddress newDomainSocketAddress() {
        return UnixTestUtils.newDomainSocketAddress();
    }

    private List<TransportPair> proactorPairs(String why) {
        List<TransportPair> pairs = new ArrayList<>();
        for (TransportPair pair : pairs()) {
            if (pair.server().isProactor() && pair.client().isProactor()) {
                pairs.add(pair);
            }
        }
        Assumptions.assumeFalse(pairs.isEmpty(), () -> why + ": runs only where both ends are Proactor");
        return pairs;
    }
}
