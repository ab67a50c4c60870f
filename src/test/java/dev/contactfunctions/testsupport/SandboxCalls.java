package dev.contactfunctions.testsupport;

import java.util.EnumMap;
import java.util.Map;

import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;

/** What some work cost in sandbox calls: the {@link #counts} before it, then the calls made {@link #since} then. */
public final class SandboxCalls {

    private SandboxCalls() {
    }

    /** The sandbox's call count of every endpoint so far. */
    public static Map<Endpoint, Long> counts(IntercomSandbox sandbox) {
        Map<Endpoint, Long> counts = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : Endpoint.values()) {
            counts.put(endpoint, sandbox.stats().calls(endpoint));
        }
        return counts;
    }

    /** Calls per endpoint since the {@code before} counts, endpoints without calls left out. */
    public static Map<Endpoint, Long> since(IntercomSandbox sandbox, Map<Endpoint, Long> before) {
        Map<Endpoint, Long> calls = new EnumMap<>(Endpoint.class);
        counts(sandbox).forEach((endpoint, count) -> {
            long made = count - before.get(endpoint);
            if (made != 0) {
                calls.put(endpoint, made);
            }
        });
        return calls;
    }
}
