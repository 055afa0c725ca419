package dev.proactor.compat;

import java.util.ArrayList;
import java.util.List;

/** One column of the compatibility matrix: the transport that accepts and the transport that connects. */
public record TransportPair(Transport server, Transport client) {

    /** "server-client", e.g. {@code io_uring-nio}: used for report directories and matrix columns. */
    public String id() {
        return server.id() + "-" + client.id();
    }

    /** Both ends are the same Proactor driver: the column where one-sided tests run. */
    public boolean isSingleDriver() {
        return server == client && server.isProactor();
    }

    /** Every server x client pair except NIO x NIO (that one is Netty's business), server-major. */
    public static List<TransportPair> all() {
        List<TransportPair> pairs = new ArrayList<>();
        for (Transport server : Transport.values()) {
            for (Transport client : Transport.values()) {
                if (server.isProactor() || client.isProactor()) {
                    pairs.add(new TransportPair(server, client));
                }
            }
        }
        return pairs;
    }

    public static TransportPair fromId(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("not a transport pair: " + id);
        }
        return new TransportPair(Transport.fromId(id.substring(0, dash)), Transport.fromId(id.substring(dash + 1)));
    }

    @Override
    public String toString() {
        return id();
    }
}
