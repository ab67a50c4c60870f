package dev.contactfunctions.audit;

import dev.contactfunctions.identity.IdentifyMergeService;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;

/** The audit's fix-mode merge of one lead into one user, for tests outside this package (the random schedules). */
public final class AuditFixMerges {

    private AuditFixMerges() {
    }

    /** What the audit's workspace reports for the merge: done, skipped or failed, with the reason. */
    public static String merge(IntercomClient intercom, IdentifyMergeService identity, CallBudget budget, String leadId,
            String userId) {
        AuditWorkspace.MergeOutcome outcome = new IntercomAuditWorkspace(intercom, identity, budget,
                Double.parseDouble(AuditConfig.DEFAULT_LIVE_TRAFFIC_SHARE))
                .mergeLeadIntoUser(leadId, userId);
        return outcome.status() + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
    }
}
