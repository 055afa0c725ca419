package dev.proactor.reliability.soak;

import dev.proactor.reliability.process.FdSnapshot;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Paths;

/** One row of the soak CSV: the process's memory and descriptors at one moment. */
final class Sample {
    static final String CSV_HEADER = "seconds,rss_mib,heap_after_gc_mib,open_fds,direct_mib,netty_direct_mib,pooled_direct_mib,nonheap_mib,connections,bytes_verified";
    /** The series checked for flatness, in CSV column order after {@code seconds}. */
    static final String[] SERIES = {"rss_mib", "heap_after_gc_mib", "open_fds", "direct_mib"};

    final double seconds;
    final double rssMib;
    final double heapAfterGcMib;
    final double openFds;
    /**
     * Direct memory: the larger of what the JDK accounts for (ByteBuffer.allocateDirect) and what Netty counts
     * (it counts its own allocations whether or not they went through the JDK, so the two overlap).
     */
    final double directMib;
    final double nettyDirectMib;
    final double pooledDirectMib;
    /** Metaspace, code cache and the like (JIT growth shows here, not in the judged series). */
    final double nonHeapMib;
    final long connections;
    final long bytesVerified;

    private Sample(double seconds, double rssMib, double heapAfterGcMib, double openFds, double directMib,
                   double nettyDirectMib, double pooledDirectMib, double nonHeapMib, long connections, long bytesVerified) {
        this.seconds = seconds;
        this.rssMib = rssMib;
        this.heapAfterGcMib = heapAfterGcMib;
        this.openFds = openFds;
        this.directMib = directMib;
        this.nettyDirectMib = nettyDirectMib;
        this.pooledDirectMib = pooledDirectMib;
        this.nonHeapMib = nonHeapMib;
        this.connections = connections;
        this.bytesVerified = bytesVerified;
    }

    static Sample take(double seconds, long connections, long bytesVerified) {
        System.gc();
        double heap = mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        double jdkDirect = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jdkDirect = pool.getMemoryUsed();
            }
        }
        long nettyDirect = Math.max(0, PlatformDependent.usedDirectMemory());
        double pooled = mib(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        return new Sample(seconds, rssMib(), heap, FdSnapshot.count(), mib(Math.max((long) jdkDirect, nettyDirect)),
                mib(nettyDirect), pooled, mib(ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed()),
                connections, bytesVerified);
    }

    double series(int i) {
        switch (i) {
            case 0:
                return rssMib;
            case 1:
                return heapAfterGcMib;
            case 2:
                return openFds;
            default:
                return directMib;
        }
    }

    String csv() {
        return String.format(java.util.Locale.ROOT, "%.0f,%.1f,%.1f,%.0f,%.1f,%.1f,%.1f,%.1f,%d,%d", seconds, rssMib,
                heapAfterGcMib, openFds, directMib, nettyDirectMib, pooledDirectMib, nonHeapMib, connections, bytesVerified);
    }

    private static double rssMib() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
