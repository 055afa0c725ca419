package dev.proactor.runtime.conformance;

import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import dev.proactor.runtime.net.Socket;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files and pipes: positioned reads and writes, and splice. */
class FileConformanceTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void readAndWriteAtOffsets(DriverKind kind) throws Exception {
        Path file = dir.resolve("offsets.bin");
        try (DriverLoop loop = DriverLoop.open(kind)) {
            int fd = TestFiles.create(file);
            byte[] text = "written at offset 4096".getBytes(StandardCharsets.US_ASCII);
            NativeBuffer out = NativeBuffer.allocate(text.length);
            out.buffer().put(0, text);
            assertEquals(text.length, loop.call(new Op().prepareWrite(fd, out.address(), text.length, 4096)));
            byte[] head = "head".getBytes(StandardCharsets.US_ASCII);
            NativeBuffer h = NativeBuffer.allocate(4);
            h.buffer().put(0, head);
            assertEquals(4, loop.call(new Op().prepareWrite(fd, h.address(), 4, 0)));

            NativeBuffer in = NativeBuffer.allocate(64);
            assertEquals(text.length, loop.call(new Op().prepareRead(fd, in.address(), 64, 4096)), "read at 4096");
            byte[] back = new byte[text.length];
            in.buffer().get(0, back);
            assertArrayEquals(text, back);
            assertEquals(8, loop.call(new Op().prepareRead(fd, in.address(), 8, 2)), "read across the hole");
            byte[] hole = new byte[8];
            in.buffer().get(0, hole);
            assertArrayEquals(new byte[] {'a', 'd', 0, 0, 0, 0, 0, 0}, hole);
            assertEquals(0, loop.call(new Op().prepareRead(fd, in.address(), 64, 1 << 20)), "read past the end");

            assertEquals(0, loop.call(new Op().prepareClose(fd)));
            byte[] disk = Files.readAllBytes(file);
            assertEquals(4096 + text.length, disk.length);
            assertArrayEquals(head, Arrays.copyOfRange(disk, 0, 4));
            assertArrayEquals(text, Arrays.copyOfRange(disk, 4096, disk.length));
            int r = loop.call(new Op().prepareRead(fd, in.address(), 8, 0));
            assertEquals(-Errno.EBADF, r, () -> "read after close: " + Errno.name(r));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void spliceMovesFileThroughPipeToSocket(DriverKind kind) throws Exception {
        TestPlatform.assumeLinux("splice");
        int size = 3 << 20;
        Path file = dir.resolve("splice.bin");
        byte[] content = new byte[size];
        new Random(3).nextBytes(content);
        Files.write(file, content);
        CRC32 expected = new CRC32();
        expected.update(content);

        try (DriverLoop loop = DriverLoop.open(kind)) {
            Socket listener = Loopback.listener(4);
            InetSocketAddress to = Loopback.addressOf(listener);
            AtomicLong crc = new AtomicLong();
            AtomicLong received = new AtomicLong();
            Peer receiver = Peer.start("splice-receiver", kind, peer -> {
                Socket s = Loopback.connect(peer, to);
                NativeBuffer in = NativeBuffer.allocate(128 << 10);
                CRC32 c = new CRC32();
                Op op = new Op();
                long total = 0;
                for (;;) {
                    int r = peer.call(op.prepareRecv(s.fd(), in.address(), in.size(), 0));
                    assertTrue(r >= 0, () -> "recv: " + Errno.name(r));
                    if (r == 0) {
                        break;
                    }
                    c.update(in.buffer().duplicate().position(0).limit(r));
                    total += r;
                }
                received.set(total);
                crc.set(c.getValue());
                s.close();
            });
            Socket sock = Loopback.accept(loop, listener);
            int fileFd = TestFiles.openReadOnly(file);
            NativeBuffer fds = NativeBuffer.allocate(8);
            assertEquals(0, LibC.pipe2(fds.address(), LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC));
            int pipeRead = fds.buffer().getInt(0);
            int pipeWrite = fds.buffer().getInt(4);

            Op toPipe = new Op();
            Op toSocket = new Op();
            long offset = 0;
            int splices = 0;
            while (offset < size) {
                int n = loop.call(toPipe.prepareSplice(fileFd, offset, pipeWrite, Op.NO_OFFSET, 64 << 10, 0));
                assertTrue(n > 0, () -> "splice file->pipe: " + Errno.name(n));
                offset += n;
                int moved = 0;
                while (moved < n) {
                    int m = loop.call(toSocket.prepareSplice(pipeRead, Op.NO_OFFSET, sock.fd(), Op.NO_OFFSET, n - moved, 0));
                    assertTrue(m > 0, () -> "splice pipe->socket: " + Errno.name(m));
                    moved += m;
                    splices++;
                }
            }
            sock.shutdown(LinuxConstants.SHUT_WR);
            receiver.join(Duration.ofSeconds(60));
            assertEquals(size, received.get());
            assertEquals(expected.getValue(), crc.get(), "CRC32 of the spliced bytes");
            assertTrue(splices >= size / (64 << 10));
            for (int fd : new int[] {fileFd, pipeRead, pipeWrite}) {
                assertEquals(0, loop.call(new Op().prepareClose(fd)));
            }
            sock.close();
            Loopback.closeQuietly(listener);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.proactor.runtime.conformance.AvailableDrivers#kinds")
    void readOfEmptyPipeWaitsForTheWriter(DriverKind kind) throws Exception {
        TestPlatform.assumeLinux("pipe2");
        try (DriverLoop loop = DriverLoop.open(kind)) {
            NativeBuffer fds = NativeBuffer.allocate(8);
            assertEquals(0, LibC.pipe2(fds.address(), LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC));
            int r = fds.buffer().getInt(0);
            int w = fds.buffer().getInt(4);
            NativeBuffer in = NativeBuffer.allocate(16);
            Op read = loop.submit(new Op().prepareRead(r, in.address(), 16, Op.NO_OFFSET));
            loop.runFor(Duration.ofMillis(50));
            assertTrue(!loop.hasCompletion(read), "read of an empty pipe completed");
            NativeBuffer out = NativeBuffer.allocate(5);
            out.buffer().put(0, "pipe!".getBytes(StandardCharsets.US_ASCII));
            assertEquals(5, loop.call(new Op().prepareWrite(w, out.address(), 5, Op.NO_OFFSET)));
            assertEquals(5, loop.await(read).result());
            byte[] got = new byte[5];
            in.buffer().get(0, got);
            assertEquals("pipe!", new String(got, StandardCharsets.US_ASCII));
            assertEquals(0, loop.call(new Op().prepareClose(w)));
            assertEquals(0, loop.call(new Op().prepareRead(r, in.address(), 16, Op.NO_OFFSET)), "EOF after the writer closed");
            assertEquals(0, loop.call(new Op().prepareClose(r)));
        }
    }
}
