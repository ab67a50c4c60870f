package dev.contactfunctions.intercom;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the shared Intercom client. Each key can be set as an environment variable, e.g.
 * {@code intercom.access-token} as {@code INTERCOM_ACCESS_TOKEN}. The base URL is resolved in
 * application.properties from {@code INTERCOM_BASE_URL} or {@code INTERCOM_REGION}.
 */
@ConfigMapping(prefix = "intercom")
public interface IntercomConfig {

    /** Access token; in AWS prefer {@link #tokenSecretArn()}. */
    Optional<String> accessToken();

    /** Secrets Manager secret holding the token (plain string, or JSON with an {@code access_token} key). */
    Optional<String> tokenSecretArn();

    /** Overrides the base URL (the sandbox, tests, a proxy); read in application.properties. */
    Optional<String> baseUrl();

    /** Connect timeout of each call, in milliseconds; read in application.properties. */
    @WithDefault("2000")
    int connectTimeoutMs();

    /** Read timeout of each call, in milliseconds; read in application.properties. */
    @WithDefault("5000")
    int readTimeoutMs();

    /** Workspace region: picks the base URL unless {@code intercom.base-url} is set. */
    @WithDefault("us")
    Region region();

    /** {@code Intercom-Version} header sent on every call. */
    @WithDefault("2.14")
    String apiVersion();

    Retry retry();

    RateLimit rateLimit();

    Budget budget();

    CircuitBreaker circuitBreaker();

    enum Region {
        us, eu, au
    }

    interface Retry {
        /** Retries after the first attempt, for idempotent calls (and 429s on any call). */
        @WithDefault("3")
        int maxRetries();

        /** First backoff delay; doubled on each retry. */
        @WithDefault("200ms")
        Duration initialDelay();

        /** Longest backoff delay between two attempts (a 429's wait for the window reset is not capped by it). */
        @WithDefault("5s")
        Duration maxDelay();

        /** Random extra delay added to each backoff, from zero up to this. */
        @WithDefault("250ms")
        Duration jitter();

        /** Longest wait for a rate-limit window reset before failing fast with the rate-limited error. */
        @WithDefault("11s")
        Duration maxRateLimitWait();
    }

    interface RateLimit {
        /** Calls left in the window at which the client waits for the reset instead of spending the rest. */
        @WithDefault("2")
        int reserve();
    }

    interface Budget {
        /**
         * Time kept back from the Lambda deadline after the last Intercom call: to queue the delivery (SQS, ledger)
         * and answer.
         */
        @WithDefault("1500ms")
        Duration reserve();

        /** Time kept back from the Lambda deadline after the last AWS call (ledger, queue, secrets): to answer. */
        @WithDefault("300ms")
        Duration answerReserve();

        /** Budget of a call made outside any invocation (local tools, tests). */
        @WithDefault("30s")
        Duration outsideInvocation();
    }

    interface CircuitBreaker {
        /** Calls in the rolling window the breaker looks at. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Share of failures (5xx, I/O, timeouts) in that window that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("10s")
        Duration delay();
    }
}
