package dev.proactor.netty;

import dev.proactor.runtime.DriverKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 datagrams over loopback with none lost, at a moderate rate (bursts of 50, a millisecond's pause, at most
 * 1000 ahead of the receiver; 4 MiB receive buffers): NIO to Proactor (the read rounds) and Proactor to NIO (the batched sends).
 */
class DatagramTenThousandTest {
    private static final int COUNT = 10_000;
    private static final int BURST = 50;
    private static final int WINDOW = 1000;

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void nioToProactor(DriverKind kind) throws Exception {
        transfer(kind, NioDatagramChannel.class, ProactorDatagramChannel.class);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void proactorToNio(DriverKind kind) throws Exception {
        transfer(kind, ProactorDatagramChannel.class, NioDatagramChannel.class);
    }

    /** The kernel's UDP counters (drops for lack of receive buffer show as RcvbufErrors). */
    static String udpStats() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/snmp")).stream()
                    .filter(l -> l.startsWith("Udp:")).reduce((a, b) -> a + " / " + b).orElse("");
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void transfer(DriverKind kind, Class<? extends DatagramChannel> senderType,
                                 Class<? extends DatagramChannel> receiverType) throws Exception {
        EventLoopGroup proactor = TestDrivers.proactor(kind, 2);
        EventLoopGroup nio = TestDrivers.nio(1);
        DatagramChannel sender = null;
        DatagramChannel receiver = null;
        try {
            Datagrams.Collector collector = new Datagrams.Collector(COUNT);
            receiver = Datagrams.bind(receiverType == NioDatagramChannel.class ? nio : proactor, receiverType,
                    SocketProtocolFamily.INET, collector);
            sender = Datagrams.bind(senderType == NioDatagramChannel.class ? nio : proactor, senderType,
                    SocketProtocolFamily.INET, new io.netty.channel.ChannelInboundHandlerAdapter());
            InetSocketAddress to = receiver.localAddress();
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicInteger failedWrites = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicReference<Throwable> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
            for (int i = 0; i < COUNT; i++) {
                sender.write(new DatagramPacket(Datagrams.numbered(i), to)).addListener(f -> {
                    if (!f.isSuccess()) {
                        failedWrites.incrementAndGet();
                        firstFailure.compareAndSet(null, f.cause());
                    }
                });
                if ((i + 1) % BURST == 0) {
                    sender.flush();
                    Thread.sleep(1);
                    // Moderate: never more than WINDOW datagrams ahead of the receiver (NIO under paranoid leak
                    // detection reads slower than Proactor sends; the kernel would drop what its buffer cannot hold).
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (i + 1 - collector.count() > WINDOW && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                }
            }
            sender.flush();
            boolean all = collector.await(30);
            assertEquals(0, failedWrites.get(), () -> "failed writes, first: " + firstFailure.get());
            assertTrue(all, "received " + collector.count() + " of " + COUNT + "; " + udpStats());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(COUNT, collector.count());
            assertEquals(0, collector.duplicates);
            assertEquals(0, collector.corrupt);
            assertEquals(List.of(), collector.errors);
            System.out.println(kind + " " + senderType.getSimpleName() + " -> " + receiverType.getSimpleName() + ": "
                    + COUNT + " datagrams in " + millis + " ms, " + collector.loops.size() + " read loops");
        } finally {
            Datagrams.closeAll(sender, receiver);
            TestDrivers.shutdown(proactor, nio);
        }
    }
}
