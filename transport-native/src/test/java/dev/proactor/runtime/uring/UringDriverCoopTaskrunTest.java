package dev.proactor.runtime.uring;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Every {@link UringDriverTest} again on a ring without SINGLE_ISSUER|DEFER_TASKRUN: completions then appear
 * without an io_uring_enter (task work runs at any syscall), which changes when CQEs show up.
 */
@EnabledOnOs(OS.LINUX)
class UringDriverCoopTaskrunTest extends UringDriverTest {
    @BeforeEach
    void withoutDeferredTaskRun() {
        System.setProperty(UringOptions.SINGLE_ISSUER, "false");
    }

    @Override
    @Test
    void usesTheKernelFeaturesThisMachineHas() {
        UringDriver d = open();
        assertEquals(0, d.setupFlags() & (UringConstants.SETUP_SINGLE_ISSUER | UringConstants.SETUP_DEFER_TASKRUN));
        assertNotEquals(0, d.setupFlags() & UringConstants.SETUP_COOP_TASKRUN);
    }
}
