package dev.contactfunctions.bench;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The configuration of the in-process benchmarks: the production fault-tolerance settings (not the short test
 * timings), and the log lines each invocation writes sent to a file instead of the console, so that the console
 * shows the tables. Each benchmark class has its own profile, hence its own Quarkus and its own sandbox.
 */
public class BenchProfile implements QuarkusTestProfile {

    private final String name;

    BenchProfile(String name) {
        this.name = name;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "intercom.retry.initial-delay", "200ms",
                "intercom.retry.max-delay", "5s",
                "intercom.retry.jitter", "250ms",
                "intercom.read-timeout-ms", "5000",
                "audit.report-dir", BenchMode.workDir().toAbsolutePath().resolve(name + "-reports").toString(),
                "quarkus.log.console.enable", "false",
                "quarkus.log.file.enable", "true",
                "quarkus.log.file.path", BenchMode.workDir().toAbsolutePath().resolve(name + ".log").toString());
    }

    /** {@link ApiCallsBenchmark}. */
    public static class ApiCalls extends BenchProfile {
        public ApiCalls() {
            super("api-calls");
        }
    }

    /** {@link HandlerOverheadBenchmark}. */
    public static class HandlerOverhead extends BenchProfile {
        public HandlerOverhead() {
            super("handler-overhead");
        }
    }

    /** {@link AuditCoexistenceBenchmark}. */
    public static class AuditCoexistence extends BenchProfile {
        public AuditCoexistence() {
            super("audit-coexistence");
        }
    }
}
