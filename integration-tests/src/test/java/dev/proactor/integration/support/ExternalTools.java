package dev.proactor.integration.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Real client programs (curl, h2load, wrk) run as child processes against the servers under test. */
public final class ExternalTools {
    private ExternalTools() {
    }

    /** Skips the test (fails it under CI) unless {@code program} is on the PATH. */
    public static void require(String program, String debianPackage) {
        Requirements.require(onPath(program), program + " is not installed (apt-get install -y " + debianPackage + ")");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** What a finished program printed and returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Fails unless the program exited with 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                fail(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited with " + exitCode + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    /** Runs {@code command}, waiting at most {@code timeout} (then kills it and fails). */
    public static Result run(Duration timeout, String... command) {
        List<String> cmd = List.of(command);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("proactor-it-", ".out");
            err = Files.createTempFile("proactor-it-", ".err");
            Process process = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                fail(String.join(" ", cmd) + " did not finish within " + timeout + "; stdout so far:\n" + Files.readString(out)
                        + "\nstderr so far:\n" + Files.readString(err));
            }
            return new Result(cmd, process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
