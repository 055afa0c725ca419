package dev.proactor.integration.support;

import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs Java inside {@code local/debian:bookworm} with this JVM's own JDK, bind-mounted read-only (the image has
 * the host's glibc, and no JDK of its own).
 */
public final class HostJdk {
    private HostJdk() {
    }

    /** The {@code java} launcher of the running JVM, at the same path inside the container. */
    public static String javaLauncher() {
        return home().resolve("bin/java").toString();
    }

    /** Mounts the JDK, plus Debian's /etc/java-N-openjdk that its conf/ files are symlinks into. */
    public static void mountInto(GenericContainer<?> container) {
        Path home = home();
        container.withFileSystemBind(home.toString(), home.toString(), BindMode.READ_ONLY);
        Path etc = Path.of("/etc/java-" + Runtime.version().feature() + "-openjdk");
        if (Files.isDirectory(etc)) {
            container.withFileSystemBind(etc.toString(), etc.toString(), BindMode.READ_ONLY);
        }
    }

    private static Path home() {
        try {
            return Path.of(System.getProperty("java.home")).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
