package dev.proactor.netty;

import io.netty.channel.unix.DomainSocketAddress;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Converts between Netty's {@link DomainSocketAddress} and the runtime's {@link UnixDomainSocketAddress}. Netty
 * writes an abstract-namespace name with a leading NUL; the JDK refuses NUL in paths, so the runtime spells it
 * with a leading '@' (as ss does), and a real file name starting with '@' is passed as "./@...".
 */
final class DomainSocketAddresses {
    /** The name of a socket that has none (bound to nothing), as epoll reports it: an empty path. */
    static final DomainSocketAddress UNNAMED = new DomainSocketAddress("");

    private DomainSocketAddresses() {
    }

    /** The runtime's form of a DomainSocketAddress (or a UnixDomainSocketAddress, passed through). */
    static SocketAddress toNative(SocketAddress address) {
        if (address instanceof DomainSocketAddress) {
            String path = ((DomainSocketAddress) address).path();
            if (path.startsWith("\0")) {
                return UnixDomainSocketAddress.of("@" + path.substring(1));
            }
            return UnixDomainSocketAddress.of(path.startsWith("@") ? "./" + path : path);
        }
        return address;
    }

    /** Netty's form of an address the runtime read (getsockname/getpeername), or null. */
    static DomainSocketAddress toNetty(SocketAddress address) {
        if (address == null || address instanceof DomainSocketAddress) {
            return (DomainSocketAddress) address;
        }
        if (address instanceof UnixDomainSocketAddress) {
            String path = ((UnixDomainSocketAddress) address).getPath().toString();
            return new DomainSocketAddress(path.startsWith("@") ? "\0" + path.substring(1) : path);
        }
        throw new IllegalArgumentException("not a Unix domain socket address: " + address);
    }

    /** Whether the address names a file (which the listening channel removes when it closes). */
    static boolean isFile(DomainSocketAddress address) {
        return address != null && !address.path().isEmpty() && !address.path().startsWith("\0");
    }
}
