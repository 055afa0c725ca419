package dev.proactor.netty;

import dev.proactor.runtime.net.NativeSocketOption;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Maps Netty {@link ChannelOption}s onto setsockopt/getsockopt of a runtime {@link Socket}. An option the OS
 * refuses becomes a {@link ChannelException} that names the errno; one the OS does not have is not in the table
 * (the config then answers false, as for any unknown option).
 */
final class SocketOptionTable {
    private final Map<ChannelOption<?>, NativeSocketOption<?>> options = new IdentityHashMap<>();

    /** Options of every TCP socket, client and server. */
    static SocketOptionTable tcpCommon() {
        SocketOptionTable t = new SocketOptionTable();
        t.map(ChannelOption.SO_RCVBUF, SocketOptions.SO_RCVBUF);
        t.map(ChannelOption.SO_REUSEADDR, SocketOptions.SO_REUSEADDR);
        t.map(ProactorChannelOption.SO_REUSEPORT, SocketOptions.SO_REUSEPORT);
        t.map(ProactorChannelOption.IP_FREEBIND, SocketOptions.IP_FREEBIND);
        t.map(ProactorChannelOption.IP_TRANSPARENT, SocketOptions.IP_TRANSPARENT);
        return t;
    }

    /** Maps {@code option}, if this system has the socket option (Windows lacks TCP_CORK, IP_FREEBIND ...). */
    <T> SocketOptionTable map(ChannelOption<T> option, NativeSocketOption<T> nativeOption) {
        if (SocketOptions.isAvailable(nativeOption)) {
            options.put(option, nativeOption);
        }
        return this;
    }

    boolean contains(ChannelOption<?> option) {
        return options.containsKey(option);
    }

    ChannelOption<?>[] channelOptions() {
        return options.keySet().toArray(new ChannelOption<?>[0]);
    }

    /** Reads {@code option}; the caller checked {@link #contains}. */
    @SuppressWarnings("unchecked")
    <T> T get(Socket socket, ChannelOption<T> option) {
        return get(socket, (NativeSocketOption<T>) options.get(option));
    }

    /** Sets {@code option}; the caller checked {@link #contains}. */
    @SuppressWarnings("unchecked")
    <T> void set(Socket socket, ChannelOption<T> option, T value) {
        set(socket, (NativeSocketOption<T>) options.get(option), value);
    }

    static <T> T get(Socket socket, NativeSocketOption<T> option) {
        try {
            return socket.getOption(option);
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
    }

    static <T> void set(Socket socket, NativeSocketOption<T> option, T value) {
        try {
            socket.setOption(option, value);
        } catch (IOException e) {
            throw new ChannelException(e.getMessage(), e);
        }
    }

    private static final boolean IPV6_TCLASS = SocketOptions.isAvailable(SocketOptions.IPV6_TCLASS);

    /** IP_TOS, and the IPv6 traffic class too on an IPv6 (dual-stack) socket where the system has it. */
    static void setTrafficClass(Socket socket, int tos) {
        set(socket, SocketOptions.IP_TOS, tos);
        if (socket.isIpv6() && IPV6_TCLASS) {
            set(socket, SocketOptions.IPV6_TCLASS, tos);
        }
    }

    static int getTrafficClass(Socket socket) {
        return get(socket, socket.isIpv6() && IPV6_TCLASS ? SocketOptions.IPV6_TCLASS : SocketOptions.IP_TOS);
    }
}
