package dev.proactor.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leak check can fail: a buffer dropped without release is reported. */
class LeakCheckTest {

    @Test
    void detectsALeakedBuffer() {
        leakOne();
        List<String> leaks = LeakCheck.takeLeaks();
        assertFalse(leaks.isEmpty(), "a dropped ByteBuf must be reported");
        assertTrue(leaks.get(0).contains("LEAK"), leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        buf.writeLong(42);
        // dropped without release()
    }
}
