package dev.proactor.compat;

import dev.proactor.netty.ProactorDatagramChannel;
import dev.proactor.netty.ProactorDomainSocketChannel;
import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerDomainSocketChannel;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Drivers;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.Locale;

/**
 * What runs one end of a test connection: Proactor on one of its drivers, or Netty's NIO as the reference peer.
 * Each channel kind has its own accessor, so datagram and domain-socket channels become one more method each.
 */
public enum Transport {
    IO_URING(DriverKind.IO_URING),
    POLL(DriverKind.POLL),
    NIO(null);

    private final DriverKind driver;

    Transport(DriverKind driver) {
        this.driver = driver;
    }

    /** The name used in system properties, report directories and the matrix: io_uring, poll, nio. */
    public String id() {
        return driver != null ? driver.propertyName() : "nio";
    }

    public static Transport fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Transport t : values()) {
            if (t.id().equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + id + "': expected io_uring, poll or nio");
    }

    public static Transport of(DriverKind kind) {
        for (Transport t : values()) {
            if (t.driver == kind) {
                return t;
            }
        }
        throw new IllegalArgumentException("no transport for driver " + kind);
    }

    public boolean isProactor() {
        return driver != null;
    }

    /** Null when this transport can run on this host, else why not. */
    public DriverUnavailableException unavailabilityCause() {
        return driver == null ? null : Drivers.unavailabilityCause(driver);
    }

    public boolean isAvailable() {
        return unavailabilityCause() == null;
    }

    public IoHandlerFactory ioHandlerFactory() {
        if (driver == null) {
            return NioIoHandler.newFactory();
        }
        return ProactorIoHandler.newFactory(ProactorIoHandlerConfig.defaults().withDriverKind(driver));
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return driver == null ? NioServerSocketChannel.class : ProactorServerSocketChannel.class;
    }

    public Class<? extends Channel> socketChannel() {
        return driver == null ? NioSocketChannel.class : ProactorSocketChannel.class;
    }

    /** A UDP channel of the given family (the testsuite's datagram tests pick the family per class). */
    public ChannelFactory<Channel> datagramChannel(SocketProtocolFamily family) {
        return named(driver == null ? () -> new NioDatagramChannel(family) : () -> new ProactorDatagramChannel(family),
                (driver == null ? "NioDatagramChannel(" : "ProactorDatagramChannel(") + family + ")");
    }

    public Class<? extends Channel> datagramChannelClass() {
        return driver == null ? NioDatagramChannel.class : ProactorDatagramChannel.class;
    }

    /**
     * A listening Unix domain stream channel. Netty's NIO domain channels take only the JDK's
     * UnixDomainSocketAddress, the testsuite hands out Netty's DomainSocketAddress: {@link NioDomainAddresses}
     * converts at bind/connect time, so the NIO end can face Proactor like in the TCP rows.
     */
    public ChannelFactory<ServerChannel> serverDomainSocketChannel() {
        return driver == null
                ? named(() -> NioDomainAddresses.install(new NioServerDomainSocketChannel()), "NioServerDomainSocketChannel")
                : named(ProactorServerDomainSocketChannel::new, "ProactorServerDomainSocketChannel");
    }

    public ChannelFactory<Channel> domainSocketChannel() {
        return driver == null
                ? named(() -> NioDomainAddresses.install(new NioDomainSocketChannel()), "NioDomainSocketChannel")
                : named(ProactorDomainSocketChannel::new, "ProactorDomainSocketChannel");
    }

    private static <C extends Channel> ChannelFactory<C> named(ChannelFactory<C> factory, String name) {
        return new ChannelFactory<>() {
            @Override
            public C newChannel() {
                return factory.newChannel();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
