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
     * How long an identity claim or a delivery in progress holds before another invocation may take it over: the
     * functions' timeout (15 s in the template) and a margin, so that a live holder never loses its claim and one
     * killed at its deadline blocks the person, and the sender's retry, for no longer than this. Environment:
     * {@code LEDGER_CLAIM_HOLD}.
     */
    @WithDefault("20s")
    Duration claimHold();

    /**
     * How long after a lead create whose outcome is unknown (a timeout or a 5xx) search is trusted to show the lead if
     * it was created: until then a delivery of that person searches and, finding nothing, waits instead of creating;
     * after it the create is taken to have failed. Well above Intercom's search lag ("a few minutes"). Environment:
     * {@code LEDGER_CREATE_SETTLE}.
     */
    @WithDefault("15m")
    Duration createSettle();

    /** How long a delivery that lost a claim waits for the holder's contact before it defers instead. */
    @WithDefault("5s")
    Duration claimWait();
}
