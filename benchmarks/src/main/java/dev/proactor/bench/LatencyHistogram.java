package dev.proactor.bench;

/**
 * Counts of nanosecond values in log-linear buckets: exact below 128 ns, then 64 buckets per power of two
 * (under 1.6% relative error). Not thread-safe: one per event loop, merged at the end.
 */
final class LatencyHistogram {

    private static final int LINEAR = 128;
    private static final int PER_OCTAVE = 64;
    private static final int OCTAVES = 56; // the top bit of a positive long is bit 62
    static final int BUCKETS = LINEAR + OCTAVES * PER_OCTAVE;

    private final long[] counts = new long[BUCKETS];
    private long total;

    void record(long nanos) {
        counts[index(Math.max(0, nanos))]++;
        total++;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The value at quantile {@code q} (0..1) in nanoseconds, the upper edge of its bucket; 0 when empty. */
    long valueAt(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(counts.length - 1);
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 6; // keeps the top 7 bits: 64..127
        return LINEAR + (shift - 1) * PER_OCTAVE + (int) (v >>> shift) - PER_OCTAVE;
    }

    static long upperEdge(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / PER_OCTAVE + 1;
        long top = (index - LINEAR) % PER_OCTAVE + PER_OCTAVE;
        return ((top + 1) << shift) - 1;
    }
}
