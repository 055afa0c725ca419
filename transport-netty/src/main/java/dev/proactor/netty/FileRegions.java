package dev.proactor.netty;

import dev.proactor.runtime.FileHandles;
import dev.proactor.runtime.linux.LibC;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.File;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;

/**
 * Reaches the file behind a {@link DefaultFileRegion}, which has no public accessor for it: the region's
 * {@code File} (a Netty field, readable by reflection on the class path) is opened again read-only for the
 * splice (Linux) or TransmitFile (Windows); a region made from a {@code FileChannel} needs the JDK's descriptor field, readable only with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED}. When neither
 * works the region is sent by copying (and that is logged once).
 */
final class FileRegions {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(FileRegions.class);
    private static final Field REGION_FILE = field(DefaultFileRegion.class, "f");
    private static final Field REGION_CHANNEL = field(DefaultFileRegion.class, "file");
    private static volatile boolean copyLogged;

    private FileRegions() {
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            logger.debug("{}.{} is not accessible: {}", type.getName(), name, e.toString());
            return null;
        }
    }

    /**
     * A new read-only descriptor (Windows: handle) of the region's file, for SPLICE (the caller closes it with
     * {@link FileHandles#close}), or -1 if it cannot be had.
     */
    static int openForSplice(DefaultFileRegion region) throws IOException {
        File file = get(REGION_FILE, region, File.class);
        if (file != null) {
            return FileHandles.openForReading(file.toPath());
        }
        if (!LibC.AVAILABLE) {
            logCopy("DefaultFileRegions made from a FileChannel are sent by copying on Windows (TransmitFile needs the"
                    + " file's path)");
            return -1;
        }
        region.open();
        FileChannel channel = get(REGION_CHANNEL, region, FileChannel.class);
        int fd = channel == null ? -1 : descriptorOf(channel);
        if (fd >= 0) {
            int copy = LibC.dup(fd);
            if (copy >= 0) {
                return copy;
            }
        }
        logCopy("DefaultFileRegions made from a FileChannel are sent by copying: the JDK hides the descriptor "
                + "(--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED lets them be spliced)");
        return -1;
    }

    private static void logCopy(String message) {
        if (!copyLogged) {
            copyLogged = true;
            logger.info(message);
        }
    }

    private static <T> T get(Field f, Object o, Class<T> type) {
        if (f == null) {
            return null;
        }
        try {
            return type.cast(f.get(o));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static int descriptorOf(FileChannel channel) {
        try {
            Field fdField = channel.getClass().getDeclaredField("fd");
            fdField.setAccessible(true);
            FileDescriptor jfd = (FileDescriptor) fdField.get(channel);
            Field intField = FileDescriptor.class.getDeclaredField("fd");
            intField.setAccessible(true);
            return intField.getInt(jfd);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /** The error of a region whose file ended before its count, with the sizes (as epoll reports it). */
    static IOException fileTooShort(FileRegion region, long transferred) {
        long size = -1;
        File file = region instanceof DefaultFileRegion ? get(REGION_FILE, region, File.class) : null;
        if (file != null) {
            size = file.length();
        } else if (region instanceof DefaultFileRegion) {
            FileChannel ch = get(REGION_CHANNEL, region, FileChannel.class);
            try {
                size = ch == null ? -1 : ch.size();
            } catch (IOException ignore) {
                // size unknown
            }
        }
        return new IOException("Underlying file size " + size + " smaller than requested count " + region.count()
                + " (region at " + region.position() + ", end of file after " + transferred + " bytes)");
    }
}
