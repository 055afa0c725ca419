package dev.proactor.compat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.DatagramMulticastTest;
import io.netty.util.NetUtil;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.List;

/** An IPv6 socket joining and sending to an IPv4 group (as epoll's EpollDatagramMulticastIpv6WithIpv4AddrTest). */
public class ProactorDatagramMulticastIpv6WithIpv4AddrTest extends DatagramMulticastTest {
    /**
     * The test binds to the first IPv6 address of the first multicast interface and sends to 230.0.0.1 from there.
     * Whether the kernel can route that depends on the host: where the JDK itself gets "Network is unreachable"
     * doing the same (this build machine: Netty's NIO fails the test identically), the test cannot tell anything
     * about Proactor and is skipped with that reason.
     */
    private static void requireHostRoutesIpv4MulticastFromIpv6Sockets() throws IOException {
        for (NetworkInterface iface : NetUtil.NETWORK_INTERFACES) {
            if (!iface.isUp() || !iface.supportsMulticast()) {
                continue;
            }
            for (InetAddress address : Collections.list(iface.getInetAddresses())) {
                if (address instanceof Inet6Address) {
                    probe(iface, address);
                    return;
                }
            }
        }
    }

    private static void probe(NetworkInterface iface, InetAddress address) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, iface);
            ch.bind(new InetSocketAddress(address, 0));
            ch.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("230.0.0.1", 9));
        } catch (IOException e) {
            Assumptions.abort("this host cannot send to an IPv4 group from an IPv6 socket bound to " + address + " on "
                    + iface.getName() + " (the JDK gets: " + e.getMessage() + ")");
        }
    }

    // Checked here rather than in @BeforeAll so that each case is reported as skipped with the reason (Surefire
    // drops a class aborted in @BeforeAll from its report).
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<Bootstrap, Bootstrap>> newFactories() {
        try {
            requireHostRoutesIpv4MulticastFromIpv6Sockets();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ProactorSocketTestPermutation.INSTANCE.datagram(socketInternetProtocalFamily());
    }

    @Override
    protected SocketProtocolFamily groupInternetProtocalFamily() {
        return SocketProtocolFamily.INET;
    }

    @Override
    protected SocketProtocolFamily socketInternetProtocalFamily() {
        return SocketProtocolFamily.INET6;
    }
}
