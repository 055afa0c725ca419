package dev.proactor.reliability.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The open file descriptors of this process ({@code /proc/self/fd}) and what each one is. Regular files are the
 * JVM's own (jars and modules opened as classes load); sockets, pipes and anonymous inodes (io_uring, epoll,
 * eventfd) are what a transport opens and must close.
 */
public final class FdSnapshot {
    private static final Path FD_DIR = Paths.get("/proc/self/fd");
    private final Map<Integer, String> targets;

    private FdSnapshot(Map<Integer, String> targets) {
        this.targets = targets;
    }

    public static FdSnapshot take() {
        Map<Integer, String> m = new TreeMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(FD_DIR)) {
            for (Path p : dir) {
                try {
                    m.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException | NumberFormatException e) {
                    // the directory stream's own fd, closed by now
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR, e);
        }
        return new FdSnapshot(m);
    }

    /**
     * A snapshot once the process's own descriptors have settled: Netty's NetUtil (which opens a socket of its
     * own when it loads) is loaded, and garbage is collected so that sockets the JDK closes on collection are
     * gone. Use it for both ends of a comparison.
     */
    public static FdSnapshot takeSettled() {
        io.netty.util.NetUtil.LOCALHOST.getHostAddress();
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return take();
    }

    /** Number of open descriptors right now (a cheap count, for sampling). */
    public static int count() {
        String[] names = FD_DIR.toFile().list();
        return names == null ? -1 : names.length;
    }

    public int size() {
        return targets.size();
    }

    /** Descriptors that are not regular files. */
    public int transportLike() {
        return (int) targets.values().stream().filter(FdSnapshot::isTransportLike).count();
    }

    /** Sockets, pipes and anonymous inodes open now that were not open (as the same thing) in {@code before}. */
    public List<String> newTransportLikeSince(FdSnapshot before) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, String> e : targets.entrySet()) {
            if (isTransportLike(e.getValue()) && !e.getValue().equals(before.targets.get(e.getKey()))) {
                out.add(e.getKey() + " -> " + e.getValue());
            }
        }
        return out;
    }

    private static boolean isTransportLike(String target) {
        return target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:");
    }

    @Override
    public String toString() {
        return size() + " fds (" + transportLike() + " sockets/pipes/anon inodes)";
    }
}
