package dev.proactor.runtime.uring;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EBUSY backlog keeps CQEs in arrival order across growth and reuse. */
class UringCompletionBacklogTest {
    @Test
    void keepsOrderAcrossGrowthAndReuse() {
        CompletionBacklog b = new CompletionBacklog();
        for (int round = 0; round < 3; round++) {
            assertTrue(b.isEmpty());
            for (int i = 0; i < 200; i++) {
                b.add(1000L + i, -i, i * 2);
            }
            for (int i = 0; i < 200; i++) {
                assertFalse(b.isEmpty());
                assertEquals(1000L + i, b.userData());
                assertEquals(-i, b.result());
                assertEquals(i * 2, b.flags());
                b.remove();
            }
        }
        assertTrue(b.isEmpty());
    }
}
