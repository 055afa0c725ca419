package dev.proactor.compat;

import dev.proactor.netty.ProactorIoHandler;
import dev.proactor.netty.ProactorIoHandlerConfig;
import dev.proactor.netty.ProactorServerSocketChannel;
import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.DriverUnavailableException;
import dev.proactor.runtime.Drivers;
import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
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

    @Override
    public String toString() {
        return id();
    }
}
