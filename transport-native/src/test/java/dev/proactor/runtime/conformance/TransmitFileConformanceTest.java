package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.FileHandles;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * IOCP's SPLICE: straight from a file (at an offset) to a socket with TransmitFile, no pipe. Linux's splice goes
 * through a pipe and is covered by {@link FileConformanceTest}.
 */
class TransmitFileConformanceTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void spliceSendsPartOfAFileFromAnOffset(DriverKind kind) throws Exception {
        assumeTrue(kind == DriverKind.IOCP, "SPLICE from a file straight to a socket is IOCP's (TransmitFile)");
        int size = (3 << 20) + 123;
        byte[] content = new byte[size];
        new Random(7).nextBytes(content);
        Path file = dir.resolve("transmit.bin");
        Files.write(file, content);
        int offset = 1000;
        int length = size - offset - 500;
        CRC32 expected = new CRC32();
        expected.update(content, offset, length);

        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            int handle = FileHandles.openForReading(file);
            try {
                Op transmit = loop.submit(new Op().prepareSplice(handle, offset, pair.client().fd(), Op.NO_OFFSET, length, 0));
                CRC32 crc = new CRC32();
                NativeBuffer in = NativeBuffer.allocate(256 << 10);
                long received = 0;
                Op recv = new Op();
                while (received < length) {
                    int r = loop.call(recv.prepareRecv(pair.server().fd(), in.address(), in.size(), 0));
                    assertTrue(r > 0, () -> "recv: " + Errno.name(r));
                    crc.update(in.buffer().duplicate().position(0).limit(r));
                    received += r;
                }
                assertEquals(length, loop.await(transmit).result());
                assertEquals(length, received);
                assertEquals(expected.getValue(), crc.getValue(), "CRC32 of the transmitted bytes");
            } finally {
                assertEquals(0, FileHandles.close(handle));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void aFileShorterThanTheLengthGivesAShortResultThenZero(DriverKind kind) throws Exception {
        assumeTrue(kind == DriverKind.IOCP, "SPLICE from a file straight to a socket is IOCP's (TransmitFile)");
        Path file = dir.resolve("short.bin");
        Files.write(file, "0123456789".getBytes());
        try (DriverLoop loop = DriverLoop.open(kind); Loopback.Pair pair = Loopback.pair(loop)) {
            int handle = FileHandles.openForReading(file);
            try {
                int client = pair.client().fd();
                assertEquals(6, loop.call(new Op().prepareSplice(handle, 4, client, Op.NO_OFFSET, 100, 0)), "what is left from 4");
                NativeBuffer in = NativeBuffer.allocate(64);
                Loopback.recvExactly(loop, pair.server().fd(), in.address(), 6);
                byte[] got = new byte[6];
                in.buffer().get(0, got);
                assertEquals("456789", new String(got));
                assertEquals(0, loop.call(new Op().prepareSplice(handle, 10, client, Op.NO_OFFSET, 100, 0)), "at the end");
                assertEquals(0, loop.call(new Op().prepareSplice(handle, 50, client, Op.NO_OFFSET, 100, 0)), "past the end");
                assertEquals(0, loop.call(new Op().prepareSplice(handle, 0, client, Op.NO_OFFSET, 0, 0)), "nothing asked");
                int r = loop.call(new Op().prepareSplice(handle, Op.NO_OFFSET, client, Op.NO_OFFSET, 5, 0));
                assertEquals(-Errno.EINVAL, r, () -> "no offset: " + Errno.name(r));
            } finally {
                assertEquals(0, FileHandles.close(handle));
            }
        }
    }
}
