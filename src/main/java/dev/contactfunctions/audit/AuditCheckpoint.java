package dev.contactfunctions.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.audit.AuditReport.InactiveLead;
import dev.contactfunctions.audit.AuditReport.InvalidEmail;
import dev.contactfunctions.audit.AuditReport.MissingAttributes;
import dev.contactfunctions.audit.AuditReport.UnmergedLead;
import dev.contactfunctions.audit.AuditReport.UsersSharingEmail;
import dev.contactfunctions.audit.AuditRun.Phase;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The checkpoint of an unfinished {@link AuditRun}, as saved between invocations: one flat JSON object (written and
 * read by {@link AuditArchive}). Its names and shapes are a format: a run saved by the version deployed before
 * resumes under the next one, so a component is renamed or moved only with a new format that still reads this one.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record AuditCheckpoint(String runId, Instant startedAt, String optionsFingerprint, int invocations, long apiCalls,
        Phase phase,
        /* null in a checkpoint saved before reads were chained: such a run starts over */
        List<ReadChain> reads,
        List<SegmentScan> segments, List<String> ruleWarnings, List<TagRuleScan> tagRules,
        Map<String, Set<String>> tagRuleMembers, FindingList<MissingAttributes> missingAttributes,
        boolean contactsScanned, long contacts, long users, long leads, long withoutEmail, EmailIndex emails,
        FindingList<InvalidEmail> invalidEmails,
        /* null in a checkpoint saved when inactive leads were only counted: such a run starts over */
        FindingList<InactiveLead> inactiveLeadList,
        boolean workspaceAppAsked, ContactPages contactPages, FindingList<UnmergedLead> unmergedLeads,
        FindingList<UsersSharingEmail> usersSharingEmail, List<Change> changes, int nextChange,
        AuditReport.Skipped skipped) {

    static AuditCheckpoint of(AuditRun run) {
        RuleChecks checks = run.checks;
        ContactTally tally = run.tally;
        return new AuditCheckpoint(run.runId, run.startedAt, run.optionsFingerprint, run.invocations, run.apiCalls,
                run.phase, List.copyOf(run.reads), List.copyOf(checks.segments), List.copyOf(checks.ruleWarnings),
                List.copyOf(checks.tagRules), checks.tagRuleMembers, checks.missingAttributes, tally.scanned,
                tally.contacts, tally.users, tally.leads, tally.withoutEmail, tally.emails, tally.invalidEmails,
                tally.inactiveLeads, run.workspaceAppAsked, run.contactPages, tally.unmergedLeads,
                tally.usersSharingEmail, run.changes, run.nextChange, run.skipped);
    }

    /** Saved by a version that kept less than this one needs to go on: the run starts over. */
    boolean savedByAnOlderVersion() {
        return reads == null || Stream.of(missingAttributes, invalidEmails, inactiveLeadList, unmergedLeads,
                usersSharingEmail).anyMatch(list -> list == null);
    }

    /** The run to resume; only for a checkpoint not {@linkplain #savedByAnOlderVersion() saved by an older version}. */
    AuditRun toRun() {
        if (savedByAnOlderVersion()) {
            throw new IllegalStateException("checkpoint of run " + runId + " was saved by an older version");
        }
        RuleChecks checks = new RuleChecks(mutable(segments), mutable(ruleWarnings), mutable(tagRules),
                tagRuleMembers == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tagRuleMembers),
                missingAttributes);
        ContactTally tally = new ContactTally(contactsScanned, contacts, users, leads, withoutEmail,
                emails == null ? new EmailIndex() : emails, invalidEmails, inactiveLeadList, unmergedLeads,
                usersSharingEmail);
        AuditRun run = new AuditRun(runId, startedAt, optionsFingerprint, phase == null ? Phase.INVENTORY : phase,
                mutable(reads), checks, tally);
        run.invocations = invocations;
        run.apiCalls = apiCalls;
        run.workspaceAppAsked = workspaceAppAsked;
        run.contactPages = contactPages;
        run.changes = changes == null ? null : mutable(changes);
        run.nextChange = nextChange;
        run.skipped = skipped;
        return run;
    }

    private static <T> List<T> mutable(List<T> list) {
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }
}
