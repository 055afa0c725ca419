package dev.proactor.reliability.badinput;

import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.OpCode;
import dev.proactor.runtime.net.Socket;
import dev.proactor.reliability.process.FdSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime's public API given nulls, negative sizes, closed sockets and misuse: each call fails at once with
 * a clear exception, leaves the object as it was (an op stays idle and unchanged, a driver keeps working) and
 * leaks no descriptor.
 */
class RuntimeBadInputTest {

    @Test
    void negativeSizesAreRefusedBeforeTheKernelSeesThem() {
        Op op = new Op().prepareNop();
        // A negative length reaches the kernel as a huge unsigned one: it would write past the buffer.
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareRecv(3, 4096, -1, 0));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareSend(3, 4096, -1, 0));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareSendv(3, 4096, -2, 0));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareRead(3, 4096, -1, 0));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareWrite(3, 4096, -1, 0));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareConnect(3, 4096, -16));
        assertMessage(IllegalArgumentException.class, "length", () -> op.prepareSplice(3, -1, 4, -1, -1, 0));
        assertMessage(IllegalArgumentException.class, "timeout", () -> op.prepareTimeout(-1));
        assertMessage(IllegalArgumentException.class, "group", () -> op.prepareRecvProvided(3, -1, 0));
        assertEquals(OpCode.NOP, op.code(), "a refused prepare leaves the op as it was");
        assertFalse(op.isInFlight());

        assertMessage(IllegalArgumentException.class, "size", () -> NativeBuffer.allocate(-1));
        assertMessage(IllegalArgumentException.class, "alignment", () -> NativeBuffer.allocateAligned(64, 3));
        assertMessage(IllegalArgumentException.class, "power of two", () -> DriverConfig.defaults().withSubmissionEntries(-4));
        assertMessage(IllegalArgumentException.class, "power of two", () -> DriverConfig.defaults().withCompletionEntries(3));
        assertMessage(IllegalArgumentException.class, "unknown driver", () -> DriverKind.fromPropertyName("bogus"));
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void driverMisuseFailsClearlyAndTheDriverGoesOn(DriverKind kind) throws Exception {
        FdSnapshot before = FdSnapshot.takeSettled();
        try (Driver d = Drivers.open(DriverConfig.defaults().withKind(kind))) {
            assertThrows(NullPointerException.class, () -> d.submit(null));
            assertThrows(NullPointerException.class, () -> d.poll(0, null));

            Op timeout = new Op().prepareTimeout(TimeUnit.SECONDS.toNanos(10));
            d.submit(timeout);
            assertMessage(IllegalStateException.class, "in flight", () -> d.submit(timeout));
            assertMessage(IllegalStateException.class, "in flight", () -> timeout.prepareNop());

            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> d.poll(0, (op, res, fl) -> { }));
            Throwable t = assertThrows(Exception.class, () -> other.get(5, TimeUnit.SECONDS)).getCause();
            assertTrue(t instanceof IllegalStateException, "poll from another thread: " + t);
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 3, 4096));
            assertThrows(IllegalArgumentException.class, () -> d.registerBufferRing(1, 4, -1));

            // A bad descriptor is the kernel's to refuse: a completion naming EBADF, not an exception.
            Op recv = new Op().prepareRecv(Integer.MAX_VALUE, NativeBuffer.allocate(16).address(), 16, 0);
            d.submit(recv);
            int[] result = new int[1];
            d.cancel(timeout);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int seen = 0;
            while (seen < 2 && System.nanoTime() < deadline) {
                seen += d.poll(TimeUnit.MILLISECONDS.toNanos(100), (op, res, fl) -> {
                    if (op == recv) {
                        result[0] = res;
                    }
                });
            }
            assertEquals(2, seen);
            assertEquals(-9, result[0], "EBADF");
            assertEquals(0, d.inFlight());

            // Still works.
            Op nop = new Op().prepareNop();
            d.submit(nop);
            assertEquals(1, d.poll(TimeUnit.SECONDS.toNanos(5), (op, res, fl) -> { }));
        }
        assertEquals(List.of(), FdSnapshot.takeSettled().newTransportLikeSince(before));
    }

    @Test
    void closedDriverRefusesWork() throws Exception {
        Driver d = Drivers.open();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.submit(new Op().prepareNop()));
        assertThrows(IllegalStateException.class, () -> d.poll(0, (op, res, fl) -> { }));
        d.close(); // twice is harmless
    }

    @Test
    void socketMisuse() throws Exception {
        FdSnapshot before = FdSnapshot.takeSettled();
        Socket s = Socket.tcp(false);
        assertThrows(NullPointerException.class, () -> s.setOption(null, 1));
        assertThrows(IllegalArgumentException.class, () -> s.setOption(StandardSocketOptions.SO_RCVBUF, null));
        assertMessage(IllegalArgumentException.class, "SO_RCVBUF", () -> s.setOption(StandardSocketOptions.SO_RCVBUF, -1));
        assertMessage(IllegalArgumentException.class, "SO_SNDBUF", () -> s.setOption(StandardSocketOptions.SO_SNDBUF, -1));
        assertMessage(IllegalArgumentException.class, "IP_TOS", () -> s.setOption(StandardSocketOptions.IP_TOS, 256));
        assertThrows(UnsupportedOperationException.class, () -> s.setOption(StandardSocketOptions.IP_MULTICAST_IF, null));
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        IOException again = assertThrows(IOException.class, () -> s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        assertTrue(again.getMessage().contains("EINVAL"), again.getMessage());
        Socket taken = Socket.tcp(false);
        IOException inUse = assertThrows(IOException.class, () -> taken.bind(s.localAddress()));
        assertTrue(inUse.getMessage().contains("EADDRINUSE"), inUse.getMessage());
        taken.close();
        s.close();
        s.close(); // twice is harmless
        assertThrows(ClosedChannelException.class, () -> s.bind(new InetSocketAddress(0)));
        assertThrows(ClosedChannelException.class, () -> s.setOption(StandardSocketOptions.SO_RCVBUF, 1024));
        assertThrows(ClosedChannelException.class, s::localAddress);
        assertEquals(List.of(), FdSnapshot.takeSettled().newTransportLikeSince(before));
    }

    private static void assertMessage(Class<? extends Throwable> type, String part, org.junit.jupiter.api.function.Executable call) {
        Throwable t = assertThrows(type, call);
        assertTrue(String.valueOf(t.getMessage()).toLowerCase().contains(part.toLowerCase()),
                () -> "message should name '" + part + "': " + t.getMessage());
    }
}
