package dev.proactor.reliability.soak;

import java.util.List;

/**
 * Whether a series stays flat: the least-squares slope over the second half of the samples (the first half is
 * warm-up: pools fill, the JIT compiles, the glibc arenas settle), projected over that span, must stay within a
 * tolerance (a share of the series' mean, or an absolute floor for small series).
 */
final class Flatness {
    final String name;
    final double first;
    final double last;
    final double slopePerMinute;
    final double drift;
    final double tolerance;

    private Flatness(String name, double first, double last, double slopePerMinute, double drift, double tolerance) {
        this.name = name;
        this.first = first;
        this.last = last;
        this.slopePerMinute = slopePerMinute;
        this.drift = drift;
        this.tolerance = tolerance;
    }

    /**
     * @param floor the smallest drift always accepted (in the series' unit)
     */
    static Flatness of(String name, List<Sample> samples, int series, double share, double floor) {
        int from = samples.size() / 2;
        int n = samples.size() - from;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = from; i < samples.size(); i++) {
            double x = samples.get(i).seconds / 60.0;
            double y = samples.get(i).series(series);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = n < 2 ? 0 : (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
        double span = n < 2 ? 0 : (samples.get(samples.size() - 1).seconds - samples.get(from).seconds) / 60.0;
        double mean = n == 0 ? 0 : sy / n;
        return new Flatness(name, samples.get(0).series(series), samples.get(samples.size() - 1).series(series), slope,
                slope * span, Math.max(floor, share * Math.abs(mean)));
    }

    boolean isFlat() {
        return Math.abs(drift) <= tolerance;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%-18s first %9.1f  last %9.1f  slope %+8.2f/min  drift over the second half %+8.1f"
                + " (tolerance %.1f): %s", name, first, last, slopePerMinute, drift, tolerance, isFlat() ? "FLAT" : "NOT FLAT");
    }
}
