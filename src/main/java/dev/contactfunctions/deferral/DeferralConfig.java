package dev.contactfunctions.deferral;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where deferred deliveries go. Environment: {@code DEFERRAL_QUEUE_URL}, {@code DEFERRAL_ENDPOINT}. */
@ConfigMapping(prefix = "deferral")
public interface DeferralConfig {

    /** URL of the FIFO queue; when absent, the in-memory queue of the local run (and tests) is used. */
    Optional<String> queueUrl();

    /**
     * URL of the queue's FIFO dead-letter queue: the consumer moves a delivery there itself once it has had its
     * {@link #maxAttempts()} real attempts. Without it the queue's redrive policy does, after its receive count.
     */
    Optional<String> deadLetterQueueUrl();

    /**
     * Real attempts at Intercom a queued delivery gets before it is dead-lettered. Receives in which nothing was
     * tried (no time left in the invocation for a full attempt, the person's identity busy) do not count.
     */
    @WithDefault("5")
    int maxAttempts();

    /** When a message nothing was tried for (no time left in its invocation) comes back. */
    @WithDefault("10s")
    Duration notAttemptedReturn();

    /** Overrides the SQS endpoint (a local SQS-compatible server); the SDK's default otherwise. */
    Optional<URI> endpoint();

    /** The local run drains the in-memory queue this often; unset (in AWS and tests) it is never drained by itself. */
    Optional<Duration> localDrainInterval();
}
