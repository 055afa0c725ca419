package dev.proactor.runtime.uring;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Every {@link UringBufferRingTest} again without SINGLE_ISSUER|DEFER_TASKRUN (receives run at any syscall). */
@EnabledOnOs(OS.LINUX)
class UringBufferRingCoopTaskrunTest extends UringBufferRingTest {
    @BeforeEach
    void withoutDeferredTaskRun() {
        System.setProperty(UringOptions.SINGLE_ISSUER, "false");
    }
}
