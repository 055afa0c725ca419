package dev.proactor.runtime.uring;

import org.junit.jupiter.api.BeforeEach;

/** Every {@link UringBufferRingTest} again without SINGLE_ISSUER|DEFER_TASKRUN (receives run at any syscall). */
class UringBufferRingCoopTaskrunTest extends UringBufferRingTest {
    @BeforeEach
    void withoutDeferredTaskRun() {
        System.setProperty(UringOptions.SINGLE_ISSUER, "false");
    }
}
