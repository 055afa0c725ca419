package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.poll.PollDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Op#pollFirst()} is only a hint: a receive that carries it returns what a plain one would, whether data
 * arrives after it was submitted, arrived before it (reported while nothing waited), or was never drained.
 */
class PollFirstConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollFirstReceiveAfterAShortOneCompletesWhenDataArrives(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(16);
            int client = pair.client().fd();
            sendBytes(loop, pair, 4);
            assertEquals(4, loop.call(new Op().prepareRecv(client, buf.address(), 16, 0)));

            Op next = loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0).pollFirst());
            loop.runFor(Duration.ofMillis(50));
            assertEquals(0, loop.completionsOf(next));
            if (loop.driver() instanceof PollDriver) {
                assertEquals(1, ((PollDriver) loop.driver()).pollFirstWaits(), "the drained socket was not tried again");
            }
            sendBytes(loop, pair, 5);
            assertEquals(5, loop.await(next).result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollFirstReceiveSeesDataThatArrivedWhileNothingWaited(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(16);
            int client = pair.client().fd();
            sendBytes(loop, pair, 4);
            // A receive that waited first puts the socket in the poll driver's epoll set.
            Op first = loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0));
            assertEquals(4, loop.await(first).result());

            sendBytes(loop, pair, 6);
            loop.runFor(Duration.ofMillis(50)); // its readiness is reported now, while no receive waits
            assertEquals(6, loop.await(loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0).pollFirst()),
                    Duration.ofSeconds(5)).result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void wrongHintAfterAFilledReceiveStillReads(DriverKind kind) {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(16);
            int client = pair.client().fd();
            sendBytes(loop, pair, 4);
            Op first = loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0));
            assertEquals(4, loop.await(first).result());
            sendBytes(loop, pair, 24);
            loop.runFor(Duration.ofMillis(50));
            assertEquals(16, loop.call(new Op().prepareRecv(client, buf.address(), 16, 0)));
            // 8 bytes are still waiting and no new readiness will be reported for them.
            assertEquals(8, loop.await(loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0).pollFirst()),
                    Duration.ofSeconds(5)).result());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void pollFirstReceiveSeesTheEndOfStreamThatCameWithTheLastData(DriverKind kind) throws Exception {
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            NativeBuffer buf = NativeBuffer.allocate(16);
            int client = pair.client().fd();
            Op first = loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0));
            loop.runFor(Duration.ofMillis(30)); // waiting, so the socket is in the poll driver's epoll set
            // Data and FIN arrive together: one readiness report covers both, and no other follows.
            sendBytes(loop, pair, 4);
            pair.server().shutdown(LinuxConstants.SHUT_WR);
            Thread.sleep(20);
            assertEquals(4, loop.await(first).result());
            assertEquals(0, loop.await(loop.submit(new Op().prepareRecv(client, buf.address(), 16, 0).pollFirst()),
                    Duration.ofSeconds(5)).result());
        }
    }

    private static void sendBytes(DriverLoop loop, Loopback.Pair pair, int n) {
        NativeBuffer out = NativeBuffer.allocate(n);
        Loopback.sendAll(loop, pair.server().fd(), out.address(), n);
    }
}
