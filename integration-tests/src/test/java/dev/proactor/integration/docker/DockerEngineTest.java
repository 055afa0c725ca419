package dev.proactor.integration.docker;

import dev.proactor.integration.support.LocalImages;
import dev.proactor.integration.support.Requirements;
import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The suites marked {@code @Testcontainers(disabledWithoutDocker = true)} skip quietly without an engine; this
 * test makes that loud: it is skipped with instructions on a machine without Docker, and fails under CI, whose
 * {@code .ci/run} starts the engine and makes the local images.
 */
class DockerEngineTest {
    private static final String DEBIAN = LocalImages.DEBIAN;

    @Test
    void engineAndLocalImagesArePresent() {
        boolean engine = DockerClientFactory.instance().isDockerAvailable();
        Requirements.require(engine, "no Docker engine is running: the container suites are skipped "
                + "(start one with: bash ../shared/docker/setup.sh)");
        try {
            assertNotNull(DockerClientFactory.instance().client().inspectImageCmd(DEBIAN).exec().getId());
        } catch (NotFoundException e) {
            fail(DEBIAN + " is missing: run ../shared/docker/setup.sh", e);
        }
    }
}
