package dev.proactor.runtime.uring;

import dev.proactor.runtime.conformance.ProvidedBufferConformanceTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Every {@link ProvidedBufferConformanceTest} again with io_uring's fallback for kernels without buffer rings or
 * multishot recv (single RECVs into buffers the driver lends, issued again after each completion). The poll
 * driver runs a second time too; its behaviour does not depend on the switch.
 */
@EnabledOnOs(OS.LINUX)
class UringEmulatedProvidedBufferTest extends ProvidedBufferConformanceTest {
    @BeforeEach
    void emulateBufferRings() {
        System.setProperty(UringOptions.BUFFER_RINGS, "false");
    }

    @AfterEach
    void restore() {
        System.clearProperty(UringOptions.BUFFER_RINGS);
    }
}
