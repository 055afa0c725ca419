package dev.proactor.bench.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/** Every transport the harness knows, by name. */
public final class Transports {

    private static final List<Transport> ALL;

    static {
        List<Transport> all = new ArrayList<>(NettyTransports.all());
        all.addAll(ProactorTransports.all());
        ALL = Collections.unmodifiableList(all);
    }

    private Transports() {
    }

    public static List<Transport> all() {
        return ALL;
    }

    public static Transport byName(String name) {
        for (Transport t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + name + "', known: " + names());
    }

    public static String names() {
        return ALL.stream().map(Transport::name).collect(Collectors.joining("|"));
    }
}
