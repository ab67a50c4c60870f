package dev.contactfunctions.bench;

import java.time.Duration;

import dev.contactfunctions.sandbox.IntercomSandbox;

/**
 * What a benchmark needs of the Intercom sandbox it runs a function against, wherever the sandbox runs: in the
 * benchmark's JVM ({@link #of}) or in its own ({@link SandboxProcess}).
 */
interface SandboxControl {

    String baseUrl();

    String accessToken();

    void resetStats();

    Counts counts();

    /** The calls answered since the last reset: all, with 429, with 200; and the time spent answering them. */
    record Counts(long total, long answered429, long ok, Duration serviceTime) {
    }

    static SandboxControl of(IntercomSandbox sandbox) {
        return new SandboxControl() {
            @Override
            public String baseUrl() {
                return sandbox.baseUrl();
            }

            @Override
            public String accessToken() {
                return sandbox.accessToken();
            }

            @Override
            public void resetStats() {
                sandbox.stats().reset();
            }

            @Override
            public Counts counts() {
                return new Counts(sandbox.stats().total(), sandbox.stats().totalWithStatus(429),
                        sandbox.stats().totalWithStatus(200), sandbox.stats().serviceTime());
            }
        };
    }
}
