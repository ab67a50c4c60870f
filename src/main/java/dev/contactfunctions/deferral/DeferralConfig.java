package dev.contactfunctions.deferral;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where deferred deliveries go. Environment: {@code DEFERRAL_QUEUE_URL}, {@code DEFERRAL_ENDPOINT}. */
@ConfigMapping(prefix = "deferral")
public interface DeferralConfig {

    /** URL of the FIFO queue; when absent, the in-memory queue of the local run (and tests) is used. */
    Optional<String> queueUrl();

    /** Overrides the SQS endpoint (a local SQS-compatible server); the SDK's default otherwise. */
    Optional<URI> endpoint();

    /** The local run drains the in-memory queue this often; unset (in AWS and tests) it is never drained by itself. */
    Optional<Duration> localDrainInterval();
}
