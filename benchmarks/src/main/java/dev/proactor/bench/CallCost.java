package dev.proactor.bench;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * The cost of one receive system call that finds nothing, made the poll driver's way (JNA direct mapping:
 * {@code LibC.recv} with MSG_DONTWAIT, then errno) and Netty NIO's way (the JDK's {@code SocketChannel.read} on a
 * non-blocking channel, JNI inside the JDK), on the same connected, empty loopback socket; plus JNA's getpid(2),
 * the cheapest system call, as the floor of a JNA call into the kernel. Prints nanoseconds per call, best of rounds.
 * Usage: {@code CallCost [calls per round = 2000000] [rounds = 5]}; pin it ({@code taskset -c 0}).
 */
public final class CallCost {
    private CallCost() {
    }

    public static void main(String[] args) throws IOException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(listener.getLocalAddress());
             SocketChannel accepted = listener.accept()) {
            accepted.configureBlocking(false);
            client.configureBlocking(false);
            int fd = descriptorOf(accepted);
            NativeBuffer nativeBuf = NativeBuffer.allocate(2048);
            ByteBuffer direct = ByteBuffer.allocateDirect(2048);
            double jna = Double.MAX_VALUE;
            double nio = Double.MAX_VALUE;
            double pid = Double.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                jna = Math.min(jna, jnaRecv(fd, nativeBuf.address(), calls));
                nio = Math.min(nio, nioRead(accepted, direct, calls));
                pid = Math.min(pid, jnaGetpid(calls));
            }
            System.out.printf(Locale.ROOT, "RESULT jnaRecvEagainNs=%.1f nioReadEmptyNs=%.1f jnaGetpidNs=%.1f calls=%d rounds=%d%n",
                    jna, nio, pid, calls, rounds);
        }
    }

    private static double jnaRecv(int fd, long address, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (LibC.recv(fd, address, 2048, LinuxConstants.MSG_DONTWAIT) >= 0 || LibC.errno() != Errno.EAGAIN) {
                throw new IllegalStateException("the socket was expected to be empty");
            }
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    private static double nioRead(SocketChannel ch, ByteBuffer buf, int calls) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            buf.clear();
            if (ch.read(buf) != 0) {
                throw new IllegalStateException("the channel was expected to be empty");
            }
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    private static double jnaGetpid(int calls) {
        long start = System.nanoTime();
        int sum = 0;
        for (int i = 0; i < calls; i++) {
            sum += LibC.getpid();
        }
        if (sum == 42) {
            System.out.print("");
        }
        return (System.nanoTime() - start) / (double) calls;
    }

    /** The descriptor the JDK keeps inside the channel (needs the add-opens below). */
    private static int descriptorOf(SocketChannel ch) {
        try {
            java.lang.reflect.Method m = ch.getClass().getMethod("getFDVal");
            m.setAccessible(true);
            return (int) m.invoke(ch);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }
}
