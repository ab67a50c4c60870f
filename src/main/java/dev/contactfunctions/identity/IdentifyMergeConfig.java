package dev.contactfunctions.identity;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the identify-merge function; each key can be set as an environment variable, e.g.
 * {@code identify-merge.max-leads-per-event} as {@code IDENTIFY_MERGE_MAX_LEADS_PER_EVENT}.
 */
@ConfigMapping(prefix = "identify-merge")
public interface IdentifyMergeConfig {

    /** Leads merged by one event at most; the rest is reported as {@code excess_leads} and left for a re-delivery. */
    @WithDefault("50")
    int maxLeadsPerEvent();

    /**
     * Time one Intercom notification may take in all, answer included: Intercom gives up after 5 seconds. The
     * Intercom calls get this less the client's reserve ({@code intercom.budget.reserve}).
     */
    @WithDefault("4s")
    Duration notificationBudget();

    /**
     * Budget of an invocation whose Lambda context does not know its deadline (the local mock event server).
     */
    @WithDefault("30s")
    Duration budgetWithoutDeadline();

    /**
     * Oldest Intercom notification processed, by its own {@code created_at} against this function's clock, when it
     * is received: Intercom retries a failed notification once, a minute later, and delays one it throttled (after
     * 429 answers) up to 2 hours before dropping it. An older one is answered 200 {@code ignored}
     * ({@code stale_notification}) without any call, so that a captured notification cannot be replayed once the
     * delivery ledger has forgotten it; longer values are taken as {@code ledger.ttl}, the ledger's memory.
     */
    @WithDefault("3h")
    Duration notificationMaxAge();

    /** When set, notifications of other Intercom apps (another {@code app_id}) are answered 200 and ignored. */
    Optional<String> intercomAppId();

    /** The retry hint of a 503 when Intercom gave none (a rate-limit reset is used when known). */
    @WithDefault("30")
    int retryAfterSeconds();

    /** Least time between two re-reads of the workspace's data attributes when an event names an unknown one. */
    @WithDefault("60s")
    Duration attributeRefreshInterval();
}
