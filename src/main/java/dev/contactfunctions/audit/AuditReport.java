package dev.contactfunctions.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The audit report, schema {@code docs/audit-report.schema.json} (version {@value #SCHEMA_VERSION}). Contacts are
 * named by Intercom id, with a link to their page in Intercom ({@link ContactLinks}), and emails by fingerprint only:
 * no address, name or phone number is in a report.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditReport(int schemaVersion, Run run, AuditOptions options, Workspace workspace,
        List<SegmentReport> segments, Findings findings, List<String> ruleWarnings, Fixes fixes,
        ContactLinks contactLinks) {

    /** 2: {@code contactLinks} and the inactive leads' {@code items} are required (version 1 had neither). */
    public static final int SCHEMA_VERSION = 2;
    /** How the reports name emails: the footnote of the Markdown and HTML reports. */
    public static final String EMAIL_NOTE = "Emails are named by fingerprint: the first 12 hex digits of the "
            + "HMAC-SHA256 of the trimmed, lower-cased address under this deployment's privacy key. The same address "
            + "always has the same fingerprint (in this report, in the logs and in later runs, while the key stays), "
            + "but without the key nobody can compute a fingerprint from an address or tell which address a "
            + "fingerprint stands for.";
    /** The status of the fix a run stopped at: the next run retries it first ({@code error} says why it stopped). */
    public static final String INTERRUPTED = "interrupted";

    public boolean complete() {
        return Status.COMPLETE.equals(run.status());
    }

    /** What varies between two runs that audit the same data: ids, times, invocations. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Run(String id, String status, String phase, Instant startedAt, Instant generatedAt, int invocations,
            long apiCalls, String stopReason, String previousRunId) {
    }

    public static final class Status {
        public static final String COMPLETE = "complete";
        public static final String PARTIAL = "partial";

        private Status() {
        }
    }

    /** Totals of the pass over all contacts ({@code scanned} false until that pass has finished). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Workspace(boolean scanned, long contacts, long users, long leads, long withoutEmail) {
    }

    /**
     * One audited segment: Intercom's own count, the members the audit counted (null until scanned) and the change
     * since the previous complete report (null when that report did not have the segment).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SegmentReport(String id, String name, String personType, Integer intercomCount, String scan,
            Long membersCounted, long users, long leads, Long previousMembersCounted, Long change) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Findings(Listed<UnmergedLead> unmergedLeads, Listed<UsersSharingEmail> usersSharingEmail,
            Listed<MissingAttributes> missingAttributes, Listed<InvalidEmail> invalidEmails,
            InactiveLeads inactiveLeads, TagDrift tagDrift) {
    }

    /** An exact count and the first items (capped by {@code max-listed-per-finding}). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Listed<T>(long count, boolean truncated, List<T> items) {
        static <T> Listed<T> of(FindingList<T> list) {
            return new Listed<>(list.count(), list.truncated(), list.items());
        }

        static <T> Listed<T> empty() {
            return new Listed<>(0, false, List.of());
        }
    }

    /** A lead whose email belongs to a user: it should have been merged into that user. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UnmergedLead(String leadId, List<String> userIds, String emailFingerprint) {
    }

    /** Users with the same email: a human decides, the audit never merges users. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsersSharingEmail(String emailFingerprint, List<String> userIds) {
    }

    /** {@code rule} is the segment's name, or {@code "*"} for the rule on everyone. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MissingAttributes(String contactId, String role, String rule, String segmentId, List<String> missing) {
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InvalidEmail(String contactId, String role, String reason, String emailFingerprint) {
    }

    /** Leads inactive since before the cutoff: an exact count and the first items, like {@link Listed}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InactiveLeads(long count, int days, Instant cutoff, boolean truncated, List<InactiveLead> items) {
    }

    /** A lead and its last activity ({@code last_seen_at}, else {@code created_at}). */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InactiveLead(String contactId, Instant lastActivityAt) {
    }

    /**
     * The page in Intercom of every contact the report names (findings and fixes), from the workspace's app id and
     * region; null when Intercom's {@code GET /me} gave none the audit can link to.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContactLinks(String appId, String region, Map<String, String> urls) {

        /** The contact's page, or null. */
        public String url(String contactId) {
            return urls == null || contactId == null ? null : urls.get(contactId);
        }
    }

    /** The footnote of the Markdown and HTML reports: how they name contacts and emails. */
    public String namingNote() {
        return (contactLinks == null ? "Contacts are named by Intercom id (Intercom named no workspace to link to). "
                : "Contacts are named by Intercom id, each a link to its page in Intercom. ") + EMAIL_NOTE;
    }

    /** The contact's page in Intercom, or null when the report has none. */
    public String contactUrl(String contactId) {
        return contactLinks == null ? null : contactLinks.url(contactId);
    }

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagDrift(long missing, long extra, List<TagRule> rules) {
    }

    /**
     * One "members of segment S carry tag T" rule: members without the tag, non-members with it, and contacts whose
     * tags Intercom listed only in part (over 10) so the audit could not tell.
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagRule(String segmentId, String segmentName, String tagName, String tagId,
            Listed<String> missing, Listed<String> extra, long unverifiable) {
    }

    /** Fix mode: {@code off}, {@code dry-run} (changes listed as {@code planned}) or {@code apply}. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fixes(String mode, AuditOptions.Caps caps, List<Change> changes, Skipped skipped) {
    }

    /** What fix mode left alone: over the caps, or leads whose email belongs to several users. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Skipped(long mergesOverCap, long tagChangesOverCap, long ambiguousLeads) {
    }

    /**
     * One change: {@code merge-lead} (contactId = the lead, intoUserId), {@code add-tag}, {@code remove-tag}
     * (contactId, tagName, tagId) or {@code create-tag} (tagName, tagId once created). Status {@code planned},
     * {@code pending} (not reached yet in a partial run), {@code done}, {@code skipped} (nothing to do any more, e.g.
     * the lead is already gone; {@code error} says why), {@code failed} (with the error) or {@code interrupted} (the
     * run stopped at it on a failure the next run can get past: the person's identity busy, DynamoDB or SQS failing,
     * Intercom unavailable or refusing the token; the next run retries it first).
     */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String action, String contactId, String intoUserId, String tagName, String tagId,
            String status, String error) {

        /** The change in words, with each report's own rendering of contact ids and tag names. */
        public String describe(UnaryOperator<String> id, UnaryOperator<String> name) {
            return switch (action) {
                case FixPlanner.MERGE_LEAD -> "merge lead " + id.apply(contactId) + " into user " + id.apply(intoUserId);
                case FixPlanner.CREATE_TAG -> "create tag " + name.apply(tagName);
                case FixPlanner.ADD_TAG -> "tag " + id.apply(contactId) + " with " + name.apply(tagName);
                case FixPlanner.REMOVE_TAG -> "remove tag " + name.apply(tagName) + " from " + id.apply(contactId);
                default -> name.apply(action) + " " + id.apply(contactId);
            };
        }
    }
}
