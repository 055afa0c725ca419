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
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The demo server (examples/target/proactor-demo.jar) runs inside a container, on the host's JDK. Under a seccomp
 * profile that makes io_uring_setup fail with EPERM (what Docker 25+ does by default) it must pick the poll driver
 * on its own, say why, and serve; in the same container without the profile it must pick io_uring.
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
        Path profile = RepoFiles.shared(SECCOMP_PROFILE);
        Requirements.require(profile != null, "../shared/" + SECCOMP_PROFILE + " not found beside the repository");
        // The Docker API takes the profile itself, not its path (the docker CLI reads the file for you).
        String profileJson = Files.readString(profile);
        try (GenericContainer<?> demo = demoContainer()
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withSecurityOpts(List.of("seccomp=" + profileJson)))) {
            demo.start();
            String log = demo.getLogs();
            String banner = bannerLine(log);
            assertTrue(banner.startsWith("Proactor: driver poll (automatic)"), banner);
            assertTrue(banner.contains("io_uring not used: io_uring_setup failed with EPERM"), banner);
            assertTrue(banner.contains("seccomp"), banner);
            assertServes(demo, "poll");
        }
    }

    @Test
    void sameContainerWithoutTheProfileUsesIoUring() throws Exception {
        assumeTrue(Proactor.isAvailable(DriverKind.IO_URING),
                () -> "io_uring is unavailable on this host itself: " + Proactor.unavailabilityCause(DriverKind.IO_URING));
        try (GenericContainer<?> demo = demoContainer()) {
            demo.start();
            String banner = bannerLine(demo.getLogs());
            assertTrue(banner.startsWith("Proactor: driver io_uring (automatic)"), banner);
            assertServes(demo, "io_uring");
        }
    }

    private static GenericContainer<?> demoContainer() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(LocalImages.DEBIAN))
                .withFileSystemBind(demoJar.toString(), "/demo/proactor-demo.jar", BindMode.READ_ONLY)
                .withCommand(HostJdk.javaLauncher(), "-jar", "/demo/proactor-demo.jar", String.valueOf(PORT), "0.0.0.0")
                .withExposedPorts(PORT)
                .waitingFor(Wait.forLogMessage(".*Serving HTTP on .*", 1).withStartupTimeout(Duration.ofSeconds(90)));
        HostJdk.mountInto(container);
        return container;
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
