package dev.proactor.integration.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files outside this module: the repository's build outputs and the project's shared/ folder. */
public final class RepoFiles {
    private RepoFiles() {
    }

    /** The repository root (surefire passes it as {@code proactor.repoRoot}). */
    public static Path repoRoot() {
        String root = System.getProperty("proactor.repoRoot");
        Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        return path.toAbsolutePath().normalize();
    }

    /**
     * A file of the shared/ folder that lies beside the repository (CI: {@code ../shared}); a worktree may sit
     * deeper, so each ancestor of the repository root is tried. Null if none has it.
     */
    public static Path shared(String relative) {
        for (Path dir = repoRoot(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The demo server's runnable jar, built by {@code mvn -pl examples -am package}. */
    public static Path demoJar() {
        return repoRoot().resolve("examples/target/proactor-demo.jar");
    }
}
