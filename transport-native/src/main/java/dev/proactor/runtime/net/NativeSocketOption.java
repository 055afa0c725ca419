package dev.proactor.runtime.net;

import java.net.SocketOption;

/**
 * A socket option that maps to one setsockopt(2) level and name. The value kinds: Boolean and Integer are
 * passed as a C int; SO_LINGER's Integer is a struct linger (negative: off).
 */
public final class NativeSocketOption<T> implements SocketOption<T> {
    enum Kind { BOOLEAN, INT, LINGER }

    private final String name;
    private final Class<T> type;
    final int level;
    final int optname;
    final Kind kind;

    NativeSocketOption(String name, Class<T> type, int level, int optname, Kind kind) {
        this.name = name;
        this.type = type;
        this.level = level;
        this.optname = optname;
        this.kind = kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<T> type() {
        return type;
    }

    public int level() {
        return level;
    }

    public int optname() {
        return optname;
    }

    @Override
    public String toString() {
        return name;
    }
}
