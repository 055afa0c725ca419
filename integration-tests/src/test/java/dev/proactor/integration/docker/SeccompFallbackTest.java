package dev.proactor.integration.docker;

import dev.proactor.integration.support.HostJdk;
import dev.proactor.integration.support.LocalImages;
import dev.proactor.integration.support.RepoFiles;
import dev.proactor.integration.support.Requirements;
import dev.proactor.netty.Proactor;
import dev.proactor.runtime.DriverKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo server (examples/target/proactor-demo.jar) runs inside a container, on the host's JDK. Under a seccomp
 * profile that makes io_uring_setup fail with EPERM (what Docker 25+ does by default) it must pick the poll driver
 * on its own, say why, and serve; in the same container without the profile it must pick io_uring. The
 * {@code proactor.driver} property still forces a driver: poll where io_uring works, and io_uring under the profile
 * fails with an error naming EPERM.
 */
@Testcontainers(disabledWithoutDocker = true)
class SeccompFallbackTest {
    private static final String SECCOMP_PROFILE = "docker/seccomp-no-io_uring.json";
    private static final int PORT = 8080;

    private static Path demoJar;

    @BeforeAll
    static void demoJarIsBuilt() {
        demoJar = RepoFiles.demoJar();
        Requirements.require(Files.isRegularFile(demoJar),
                demoJar + " is missing: build it with mvn -pl examples -am package -DskipTests");
    }

    @Test
    void ioUringBlockedBySeccompFallsBackToPollAndSaysWhy() throws Exception {
        try (GenericContainer<?> demo = servingDemo(withoutIoUring(demoContainer()))) {
            demo.start();
            String banner = bannerLine(demo.getLogs());
            assertTrue(banner.startsWith("Proactor: driver poll (automatic)"), banner);
            assertTrue(banner.contains("io_uring not used: io_uring_setup failed with EPERM"), banner);
            assertTrue(banner.contains("seccomp"), banner);
            assertServes(demo, "poll");
        }
    }

    @Test
    void sameContainerWithoutTheProfileUsesIoUring() throws Exception {
        assumeIoUringOnHost();
        try (GenericContainer<?> demo = servingDemo(demoContainer())) {
            demo.start();
            String banner = bannerLine(demo.getLogs());
            assertTrue(banner.startsWith("Proactor: driver io_uring (automatic)"), banner);
            assertServes(demo, "io_uring");
        }
    }

    @Test
    void theDriverPropertyForcesPollWhereIoUringWorks() throws Exception {
        assumeIoUringOnHost();
        try (GenericContainer<?> demo = servingDemo(demoContainer("-Dproactor.driver=poll"))) {
            demo.start();
            String banner = bannerLine(demo.getLogs());
            assertTrue(banner.startsWith("Proactor: driver poll (forced by -Dproactor.driver)"), banner);
            assertServes(demo, "poll");
        }
    }

    @Test
    void forcingIoUringUnderTheProfileFailsNamingEperm() throws Exception {
        ToStringConsumer output = new ToStringConsumer();
        try (GenericContainer<?> demo = withoutIoUring(demoContainer("-Dproactor.driver=io_uring"))
                .withLogConsumer(output)
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(90)))) {
            assertThrows(ContainerLaunchException.class, demo::start, "the demo must exit with an error");
            String log = awaitOutput(output, "Proactor transport unavailable");
            assertTrue(log.contains("Proactor transport unavailable: io_uring driver unavailable: io_uring_setup failed with EPERM"), log);
            assertTrue(log.contains("seccomp"), log);
        }
    }

    /** The container's output once it contains {@code text} (it streams in after the exit is seen), or what came. */
    private static String awaitOutput(ToStringConsumer output, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!output.toUtf8String().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return output.toUtf8String();
    }

    private static void assumeIoUringOnHost() {
        assumeTrue(Proactor.isAvailable(DriverKind.IO_URING),
                () -> "io_uring is unavailable on this host itself: " + Proactor.unavailabilityCause(DriverKind.IO_URING));
    }

    /** The demo server on the host's JDK; {@code jvmOptions} go before {@code -jar}. */
    private static GenericContainer<?> demoContainer(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(HostJdk.javaLauncher());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", "/demo/proactor-demo.jar", String.valueOf(PORT), "0.0.0.0"));
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(LocalImages.DEBIAN))
                .withFileSystemBind(demoJar.toString(), "/demo/proactor-demo.jar", BindMode.READ_ONLY)
                .withCommand(command.toArray(new String[0]));
        HostJdk.mountInto(container);
        return container;
    }

    private static GenericContainer<?> servingDemo(GenericContainer<?> container) {
        return container.withExposedPorts(PORT)
                .waitingFor(Wait.forLogMessage(".*Serving HTTP on .*", 1).withStartupTimeout(Duration.ofSeconds(90)));
    }

    /** Applies seccomp-no-io_uring.json: io_uring_setup fails with EPERM, as under Docker 25+'s default profile. */
    private static GenericContainer<?> withoutIoUring(GenericContainer<?> container) throws IOException {
        Path profile = RepoFiles.shared(SECCOMP_PROFILE);
        Requirements.require(profile != null, "../shared/" + SECCOMP_PROFILE + " not found beside the repository");
        // The Docker API takes the profile itself, not its path (the docker CLI reads the file for you).
        String profileJson = Files.readString(profile);
        return container.withCreateContainerCmdModifier(
                cmd -> cmd.getHostConfig().withSecurityOpts(List.of("seccomp=" + profileJson)));
    }

    private static String bannerLine(String log) {
        return log.lines().filter(l -> l.startsWith("Proactor: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no 'Proactor: ' line in the container log:\n" + log));
    }

    /** Requests from the host to the mapped port: ten on each of two clients (two keep-alive connections). */
    private static void assertServes(GenericContainer<?> demo, String driver) throws Exception {
        URI base = URI.create("http://" + demo.getHost() + ":" + demo.getMappedPort(PORT));
        for (int c = 0; c < 2; c++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 10; i++) {
                String path = "/seccomp/" + c + "/" + i;
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("Hello from Proactor (" + driver + " driver): GET " + path + "\n", response.body());
            }
        }
    }
}
