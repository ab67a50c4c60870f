package dev.contactfunctions.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * The short retry timings the test profiles share (two retries, 5 to 20 ms apart, 1 ms of jitter), so that no test
 * waits on real backoff; each profile adds its handler, timeouts and waits.
 */
public final class FastRetries {

    private FastRetries() {
    }

    /** The fast retries, then {@code overrides} (which win where they set the same key). */
    public static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of(
                "intercom.retry.max-retries", "2",
                "intercom.retry.initial-delay", "5ms",
                "intercom.retry.max-delay", "20ms",
                "intercom.retry.jitter", "1ms"));
        config.putAll(overrides);
        return config;
    }
}
