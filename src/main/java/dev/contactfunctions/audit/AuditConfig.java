package dev.contactfunctions.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the {@code segment-audit} function. Every option except the storage and timing ones can be overridden
 * per run by the schedule's event {@code detail} (see {@link AuditOverrides}), which uses the same key names.
 */
@ConfigMapping(prefix = "audit")
public interface AuditConfig {

    /** {@code report} (default): only report; {@code fix}: also merge unmerged leads and correct tag drift. */
    @WithDefault("report")
    AuditMode mode();

    /** With {@code mode=fix}: list the changes fix mode would make, make none. */
    @WithDefault("false")
    boolean dryRun();

    Segments segments();

    Rules rules();

    Caps caps();

    /** A lead whose last activity ({@code last_seen_at}, else {@code created_at}) is older than this is inactive. */
    @WithDefault("90")
    int inactivityDays();

    /** Findings listed per kind in the report; counts stay exact beyond it. */
    @WithDefault("500")
    int maxListedPerFinding();

    /**
     * Most Intercom calls the audit's reads keep in flight at once ({@code AUDIT_CONCURRENCY}); below it the number
     * follows the round trip and the rate-limit headers ({@link AdaptiveConcurrency}); 1 reads one page at a time.
     */
    @WithDefault("192")
    int concurrency();

    /** Default of {@link #liveTrafficShare()}. */
    String DEFAULT_LIVE_TRAFFIC_SHARE = "0.2";

    /**
     * Share of each Intercom rate-limit window the audit leaves to live traffic ({@code AUDIT_LIVE_TRAFFIC_SHARE}):
     * at a window's start its calls leave this share of {@code X-RateLimit-Limit} unspent, and less as the reset nears,
     * in proportion to the time left ({@link dev.contactfunctions.intercom.RateLimitPacer}), from 0 to below 1.
     */
    @WithDefault(DEFAULT_LIVE_TRAFFIC_SHARE)
    double liveTrafficShare();

    /** Time kept back from the Lambda deadline to write the checkpoint and the partial report. */
    @WithDefault("30s")
    Duration safetyMargin();

    /** A checkpoint older than this is discarded and the audit starts over. */
    @WithDefault("12h")
    Duration checkpointMaxAge();

    /** S3 bucket of reports and checkpoints ({@code AUDIT_REPORT_BUCKET}); without it, {@link #reportDir()}. */
    Optional<String> reportBucket();

    /** Key prefix inside the bucket. */
    @WithDefault("segment-audit/")
    String reportPrefix();

    /** Local folder of reports and checkpoints, used when no bucket is set (the local run). */
    @WithDefault("${java.io.tmpdir}/intercom-audit")
    Path reportDir();

    /** CloudWatch namespace of the Embedded Metric Format line. */
    @WithDefault("IntercomContactFunctions")
    String metricsNamespace();

    interface Segments {
        /** Segment names or ids to audit; empty means every segment. */
        Optional<List<String>> include();

        /** Segment names or ids to leave out. */
        Optional<List<String>> exclude();
    }

    interface Rules {
        /**
         * Attributes every member of a segment must have, keyed by segment name or id, or {@code "*"} for every
         * contact: {@code audit.rules.required-attributes."Enterprise"=plan,seats}.
         */
        Map<String, List<String>> requiredAttributes();

        /** Tags every member of a segment carries, and nobody else: {@code audit.rules.segment-tags."Enterprise"=enterprise}. */
        Map<String, List<String>> segmentTags();
    }

    interface Caps {
        /** Most leads merged in one run (fix mode). */
        @WithDefault("50")
        int merges();

        /** Most tags added or removed in one run (fix mode). */
        @WithDefault("200")
        int tagChanges();
    }
}
