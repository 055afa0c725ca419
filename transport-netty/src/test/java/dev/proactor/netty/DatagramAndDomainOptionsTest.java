package dev.proactor.netty;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.UnixChannelOption;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.Test;

import java.net.NetworkInterface;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The datagram and domain socket configs accept their options and read them back from the socket. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "Linux options (UDP_GRO, SO_REUSEPORT, IP_FREEBIND) and unix sockets; the Windows datagram options are in DatagramWindowsOptionsTest")
class DatagramAndDomainOptionsTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertAccepted(ChannelConfig config, Map<ChannelOption<?>, Object> options) {
        for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
            ChannelOption o = e.getKey();
            assertTrue(config.setOption(o, e.getValue()), "refused " + o);
            Object got = config.getOption(o);
            if (o == ChannelOption.SO_RCVBUF || o == ChannelOption.SO_SNDBUF) {
                assertTrue((Integer) got >= (Integer) e.getValue(), o + " = " + got); // Linux doubles it
            } else {
                assertEquals(e.getValue(), got, o.name());
            }
            assertTrue(config.getOptions().containsKey(o) || o == UnixChannelOption.SO_REUSEPORT, o.name());
        }
    }

    @Test
    void datagramOptions() throws Exception {
        for (SocketProtocolFamily family : new SocketProtocolFamily[] {SocketProtocolFamily.INET, SocketProtocolFamily.INET6}) {
            ProactorDatagramChannel ch = new ProactorDatagramChannel(family);
            try {
                Map<ChannelOption<?>, Object> m = new LinkedHashMap<>();
                m.put(ChannelOption.SO_RCVBUF, 1 << 20);
                m.put(ChannelOption.SO_SNDBUF, 1 << 20);
                m.put(ChannelOption.SO_REUSEADDR, true);
                m.put(ChannelOption.SO_BROADCAST, true);
                m.put(ChannelOption.IP_TOS, 0x10);
                m.put(ChannelOption.IP_MULTICAST_TTL, 5);
                m.put(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true);
                m.put(ChannelOption.IP_MULTICAST_IF, NetworkInterface.getByName("lo"));
                m.put(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true);
                m.put(ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1500);
                m.put(ProactorChannelOption.UDP_GRO, true);
                m.put(ProactorChannelOption.IP_MULTICAST_ALL, false);
                m.put(ProactorChannelOption.SO_REUSEPORT, true);
                m.put(UnixChannelOption.SO_REUSEPORT, false);
                m.put(ProactorChannelOption.IP_FREEBIND, true);
                assertAccepted(ch.config(), m);
                assertEquals(NetworkInterface.getByName("lo"), NetworkInterface.getByInetAddress(ch.config().getInterface()));
                assertFalse(ch.config().setOption(ChannelOption.TCP_NODELAY, true));
                assertFalse(ch.isActive(), "not registered yet");
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
    }

    @Test
    void domainSocketOptions() {
        ProactorDomainSocketChannel ch = new ProactorDomainSocketChannel();
        ProactorServerDomainSocketChannel server = new ProactorServerDomainSocketChannel();
        try {
            Map<ChannelOption<?>, Object> m = new LinkedHashMap<>();
            m.put(ChannelOption.SO_RCVBUF, 1 << 17);
            m.put(ChannelOption.SO_SNDBUF, 1 << 17);
            m.put(UnixChannelOption.DOMAIN_SOCKET_READ_MODE, DomainSocketReadMode.FILE_DESCRIPTORS);
            m.put(ChannelOption.ALLOW_HALF_CLOSURE, true);
            assertAccepted(ch.config(), m);
            assertEquals(DomainSocketReadMode.FILE_DESCRIPTORS, ch.config().getReadMode());
            assertTrue(ch.fd().intValue() >= 0);

            Map<ChannelOption<?>, Object> s = new LinkedHashMap<>();
            s.put(ChannelOption.SO_BACKLOG, 17);
            s.put(ChannelOption.SO_RCVBUF, 1 << 17);
            assertAccepted(server.config(), s);
            assertFalse(ch.config().setOption(ChannelOption.TCP_NODELAY, true));
        } finally {
            ch.unsafe().closeForcibly();
            server.unsafe().closeForcibly();
        }
    }
}
