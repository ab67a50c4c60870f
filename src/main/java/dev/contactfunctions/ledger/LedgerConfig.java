package dev.contactfunctions.ledger;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the ledger lives and how long its records last. Environment: {@code LEDGER_TABLE}, {@code LEDGER_ENDPOINT}. */
@ConfigMapping(prefix = "ledger")
public interface LedgerConfig {

    /** DynamoDB table; when absent, the in-memory ledger of one instance is used (local run, tests). */
    Optional<String> table();

    /** Overrides the DynamoDB endpoint (a local DynamoDB-compatible server); the SDK's default otherwise. */
    Optional<URI> endpoint();

    /** How long an identity's contact and a delivery's outcome are kept: well past Intercom's search lag. */
    @WithDefault("24h")
    Duration ttl();

    /**
     * How long an identity claim or a delivery in progress holds before another invocation may take it over. Longer
     * than any invocation runs (API Gateway gives up after 30 s), so that a live holder never loses its claim.
     */
    @WithDefault("60s")
    Duration claimHold();

    /** How long a delivery that lost a claim waits for the holder's contact before it defers instead. */
    @WithDefault("5s")
    Duration claimWait();
}
