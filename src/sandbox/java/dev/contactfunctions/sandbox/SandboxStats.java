package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests the sandbox answered, per endpoint and HTTP status. A dropped connection counts with status 0; a
 * request to no known endpoint counts under {@link #unmatched()}. The {@code /_sandbox} inspection endpoints are
 * not counted. Each request's service time (from its arrival at the handler to its answer being ready, added
 * latency included) is summed, so that benchmarks can take the sandbox's own time out of a caller's.
 */
public final class SandboxStats {

    private final Map<Endpoint, Map<Integer, LongAdder>> counts = new ConcurrentHashMap<>();
    private final LongAdder unmatched = new LongAdder();
    private final LongAdder serviceNanos = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    /** A request has arrived; it is in flight until {@link #record}. */
    void arrived() {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void record(Endpoint endpoint, int status, long serviceTimeNanos) {
        inFlight.decrementAndGet();
        serviceNanos.add(serviceTimeNanos);
        if (endpoint == null) {
            unmatched.increment();
            return;
        }
        counts.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    /** Requests to this endpoint, whatever their answer. */
    public long calls(Endpoint endpoint) {
        Map<Integer, LongAdder> byStatus = counts.get(endpoint);
        return byStatus == null ? 0 : byStatus.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests to this endpoint answered with this status. */
    public long calls(Endpoint endpoint, int status) {
        Map<Integer, LongAdder> byStatus = counts.get(endpoint);
        LongAdder adder = byStatus == null ? null : byStatus.get(status);
        return adder == null ? 0 : adder.sum();
    }

    /** Requests that change the workspace, per endpoint: every endpoint but the reads and the search. */
    public Map<Endpoint, Long> writes() {
        Map<Endpoint, Long> writes = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : Endpoint.values()) {
            if (!"GET".equals(endpoint.method()) && endpoint != Endpoint.SEARCH_CONTACTS) {
                writes.put(endpoint, calls(endpoint));
            }
        }
        return writes;
    }

    /** Requests to every endpoint (unmatched ones included). */
    public long total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum()
                + unmatched.sum();
    }

    /** Requests to every endpoint answered with this status. */
    public long totalWithStatus(int status) {
        return counts.values().stream().map(m -> m.get(status)).filter(a -> a != null).mapToLong(LongAdder::sum)
                .sum();
    }

    /** Time spent answering the requests counted so far, summed over all of them. */
    public Duration serviceTime() {
        return Duration.ofNanos(serviceNanos.sum());
    }

    public long unmatched() {
        return unmatched.sum();
    }

    /** {@code {"POST /contacts": {200: 3, 409: 1}, ...}}, sorted by endpoint key. */
    public Map<String, Map<Integer, Long>> snapshot() {
        Map<String, Map<Integer, Long>> result = new TreeMap<>();
        counts.forEach((endpoint, byStatus) -> {
            Map<Integer, Long> statuses = new TreeMap<>();
            byStatus.forEach((status, adder) -> statuses.put(status, adder.sum()));
            result.put(endpoint.key(), statuses);
        });
        return result;
    }

    /** The most requests the sandbox was serving at once (its latency included). */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    /**
     * Requests received and not answered yet: a request the client gave up on (a delay past its timeout) is still
     * being carried out while this counts it.
     */
    public int inFlight() {
        return inFlight.get();
    }

    public void reset() {
        peakInFlight.set(inFlight.get());
        counts.clear();
        unmatched.reset();
        serviceNanos.reset();
    }
}
