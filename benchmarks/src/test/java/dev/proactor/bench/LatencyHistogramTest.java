package dev.proactor.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void everyValueLiesInItsBucketWithinTwoPercent() {
        long previousEdge = -1;
        for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
            long edge = LatencyHistogram.upperEdge(i);
            assertTrue(edge > previousEdge, "edges increase at " + i);
            assertEquals(i, LatencyHistogram.index(edge), "upper edge maps back to its bucket " + i);
            assertEquals(i, LatencyHistogram.index(previousEdge + 1), "lower edge maps to bucket " + i);
            assertTrue(edge - previousEdge <= Math.max(1, (previousEdge + 1) / 50), "bucket width at " + i);
            previousEdge = edge;
        }
        assertEquals(Long.MAX_VALUE, previousEdge, "the last bucket ends at the largest long");
    }

    @Test
    void quantilesOfAUniformSpread() {
        LatencyHistogram h = new LatencyHistogram();
        for (long v = 1; v <= 100_000; v++) {
            h.record(v * 1000); // 1 us .. 100 ms
        }
        assertEquals(100_000, h.count());
        assertEquals(50_000_000, h.valueAt(0.5), 50_000_000 * 0.02);
        assertEquals(99_000_000, h.valueAt(0.99), 99_000_000 * 0.02);
    }
}
