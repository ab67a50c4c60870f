package dev.contactfunctions.bench;

import java.util.Arrays;

/** Durations of repeated invocations, in nanoseconds, and their percentiles (nearest rank). */
final class Latencies {

    private final long[] nanos;
    private int size;

    Latencies(int capacity) {
        this.nanos = new long[capacity];
    }

    void add(long value) {
        nanos[size++] = value;
    }

    int size() {
        return size;
    }

    /** The p-th percentile (0 < p <= 100) in milliseconds. */
    double percentileMillis(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    double meanMillis() {
        return Arrays.stream(nanos, 0, size).average().orElse(0) / 1e6;
    }

    static String ms(double millis) {
        return millis >= 100 ? String.format("%.0f ms", millis) : String.format("%.2f ms", millis);
    }
}
