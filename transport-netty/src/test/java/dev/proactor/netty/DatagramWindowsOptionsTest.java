package dev.proactor.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The datagram channel on Windows (IOCP): the options Windows has are set and read back through Winsock; what
 * only Linux has (UDP GSO/GRO, SO_REUSEPORT, IP_MULTICAST_ALL) is refused with an error naming the platform.
 */
@EnabledOnOs(value = OS.WINDOWS, disabledReason = "the Linux options are covered by DatagramAndDomainOptionsTest")
class DatagramWindowsOptionsTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Test
    void windowsOptionsAreSetAndReadBack() {
        for (SocketProtocolFamily family : new SocketProtocolFamily[] {SocketProtocolFamily.INET, SocketProtocolFamily.INET6}) {
            ProactorDatagramChannel ch = new ProactorDatagramChannel(family);
            try {
                ChannelConfig config = ch.config();
                Map<ChannelOption<?>, Object> m = new LinkedHashMap<>();
                m.put(ChannelOption.SO_RCVBUF, 1 << 20);
                m.put(ChannelOption.SO_SNDBUF, 1 << 20);
                m.put(ChannelOption.SO_REUSEADDR, true);
                m.put(ChannelOption.SO_BROADCAST, true);
                m.put(ChannelOption.IP_MULTICAST_TTL, 5);
                m.put(ChannelOption.IP_MULTICAST_LOOP_DISABLED, true);
                m.put(ProactorChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 1500);
                for (Map.Entry<ChannelOption<?>, Object> e : m.entrySet()) {
                    ChannelOption o = e.getKey();
                    assertTrue(config.setOption(o, e.getValue()), family + ": refused " + o);
                    Object got = config.getOption(o);
                    if (o == ChannelOption.SO_RCVBUF || o == ChannelOption.SO_SNDBUF) {
                        assertTrue((Integer) got >= (Integer) e.getValue(), o + " = " + got);
                    } else {
                        assertEquals(e.getValue(), got, family + ": " + o.name());
                    }
                }
                // Not in the table on Windows: unknown to the config, as Netty's contract has it.
                assertFalse(config.setOption(ProactorChannelOption.SO_REUSEPORT, true));
            } finally {
                ch.unsafe().closeForcibly();
            }
        }
    }

    @Test
    void linuxOnlyFeaturesAreRefusedNamingWindows() {
        ProactorDatagramChannel ch = new ProactorDatagramChannel(SocketProtocolFamily.INET);
        try {
            ChannelException gro = assertThrows(ChannelException.class, () -> ch.config().setUdpGro(true));
            assertTrue(gro.getMessage().contains("UDP_GRO") && gro.getMessage().contains("Windows"), gro.getMessage());
            assertTrue(gro.getMessage().contains("ENOPROTOOPT (WSAENOPROTOOPT 10042"), "errno and WinError named: " + gro.getMessage());
            ChannelException reusePort = assertThrows(ChannelException.class, () -> ch.config().setReusePort(true));
            assertTrue(reusePort.getMessage().contains("SO_REUSEPORT") && reusePort.getMessage().contains("Windows"),
                    reusePort.getMessage());
            assertFalse(ProactorDatagramChannel.isSegmentedDatagramPacketSupported());
        } finally {
            ch.unsafe().closeForcibly();
        }
    }

    @Test
    void segmentedDatagramPacketFailsItsWriteNamingWindows() throws Exception {
        EventLoopGroup group = TestDrivers.proactor(dev.proactor.runtime.DriverKind.IOCP, 1);
        DatagramChannel ch = null;
        try {
            ch = (DatagramChannel) new Bootstrap().group(group).channel(ProactorDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(Datagrams.loopback(SocketProtocolFamily.INET), 0)).sync().channel();
            ChannelFuture f = ch.writeAndFlush(new SegmentedDatagramPacket(Unpooled.wrappedBuffer(new byte[64]), 16,
                    ch.localAddress()));
            assertTrue(f.await(10, TimeUnit.SECONDS));
            UnsupportedOperationException e = assertInstanceOf(UnsupportedOperationException.class, f.cause());
            assertTrue(e.getMessage().contains("Linux's") && e.getMessage().contains("Windows"), e.getMessage());
            assertTrue(ch.isOpen(), "the channel goes on");
        } finally {
            Datagrams.closeAll(ch);
            TestDrivers.shutdown(group);
        }
    }
}
