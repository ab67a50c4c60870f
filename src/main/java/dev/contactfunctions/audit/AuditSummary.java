package dev.contactfunctions.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the handler answers: the run's status and counts, and where the report is. {@code resumeNeeded} is true for a
 * partial run: the next invocation (the next schedule tick, or a re-invocation on this answer) continues it.
 */
@RegisterForReflection
public record AuditSummary(String runId, String status, String phase, String stopReason, boolean resumeNeeded,
        int invocations, long apiCalls, int segmentsAudited, long contactsScanned, FindingCounts findings,
        FixCounts fixes, AuditArchive.Locations report) {

    static AuditSummary of(AuditReport report, AuditArchive.Locations locations) {
        AuditReport.Run run = report.run();
        return new AuditSummary(run.id(), run.status(), run.phase(), run.stopReason(), !report.complete(),
                run.invocations(), run.apiCalls(), report.segments().size(), report.workspace().contacts(),
                FindingCounts.of(report), FixCounts.of(report.fixes()), locations);
    }

    @RegisterForReflection
    public record FindingCounts(long unmergedLeads, long usersSharingEmail, long missingAttributes, long invalidEmails,
            long inactiveLeads, long tagDriftMissing, long tagDriftExtra) {

        static FindingCounts of(AuditReport report) {
            AuditReport.Findings f = report.findings();
            return new FindingCounts(f.unmergedLeads().count(), f.usersSharingEmail().count(),
                    f.missingAttributes().count(), f.invalidEmails().count(), f.inactiveLeads().count(),
                    f.tagDrift().missing(), f.tagDrift().extra());
        }

        long total() {
            return unmergedLeads + usersSharingEmail + missingAttributes + invalidEmails + inactiveLeads
                    + tagDriftMissing + tagDriftExtra;
        }
    }

    @RegisterForReflection
    public record FixCounts(String mode, long planned, long done, long skipped, long failed, long pending,
            long interrupted) {

        static FixCounts of(AuditReport.Fixes fixes) {
            return new FixCounts(fixes.mode(), count(fixes, "planned"), count(fixes, "done"), count(fixes, "skipped"),
                    count(fixes, "failed"), count(fixes, "pending"), count(fixes, AuditReport.INTERRUPTED));
        }

        private static long count(AuditReport.Fixes fixes, String status) {
            return fixes.changes().stream().filter(c -> status.equals(c.status())).count();
        }
    }
}
