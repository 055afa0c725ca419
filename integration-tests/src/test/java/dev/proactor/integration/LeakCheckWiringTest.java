package dev.proactor.integration;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every suite here relies on transport-netty's LeakCheck (from its test-jar, registered by JUnit's extension
 * autodetection, which surefire turns on) to fail a test that leaked a ByteBuf: make sure it is in place.
 */
class LeakCheckWiringTest {

    @Test
    void leakCheckIsInstalledAndParanoid() {
        assertEquals("dev.proactor.netty.LeakCheck$RecordingFactory",
                ResourceLeakDetectorFactory.instance().getClass().getName());
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }
}
