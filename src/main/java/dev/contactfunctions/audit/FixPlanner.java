package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.audit.AuditReport.UnmergedLead;

/**
 * Turns the findings into the changes fix mode makes, deterministically (so a dry run lists exactly what a real
 * run then does): merges of leads whose email belongs to exactly one user, then the missing tags created, then
 * tags added to members and removed from non-members; merges and tag changes each within their cap.
 */
final class FixPlanner {

    static final String MERGE_LEAD = "merge-lead";
    static final String CREATE_TAG = "create-tag";
    static final String ADD_TAG = "add-tag";
    static final String REMOVE_TAG = "remove-tag";

    private FixPlanner() {
    }

    static void plan(AuditRun run, AuditOptions options) {
        String status = options.dryRun() ? "planned" : "pending";
        List<Change> changes = new ArrayList<>();
        Set<String> mergedLeads = new HashSet<>();

        long ambiguous = 0;
        FindingList<UnmergedLead> unmergedLeads = run.tally.unmergedLeads;
        long mergesOverCap = unmergedLeads.count() - unmergedLeads.items().size();
        for (UnmergedLead lead : unmergedLeads.items()) {
            if (lead.userIds().size() != 1) {
                ambiguous++;
            } else if (mergedLeads.size() < options.caps().merges()) {
                changes.add(new Change(MERGE_LEAD, lead.leadId(), lead.userIds().get(0), null, null, status, null));
                mergedLeads.add(lead.leadId());
            } else {
                mergesOverCap++;
            }
        }

        Set<String> tagsToCreate = new LinkedHashSet<>();
        List<Change> tagChanges = new ArrayList<>();
        long tagChangesOverCap = 0;
        for (TagRuleScan rule : run.checks.tagRules) {
            tagChangesOverCap += rule.missing().count() - rule.missing().items().size();
            tagChangesOverCap += rule.extra().count() - rule.extra().items().size();
            for (String contactId : rule.missing().items()) {
                if (mergedLeads.contains(contactId)) {
                    continue;
                }
                if (tagChanges.size() < options.caps().tagChanges()) {
                    if (rule.tagId() == null) {
                        tagsToCreate.add(rule.tagName());
                    }
                    tagChanges.add(new Change(ADD_TAG, contactId, null, rule.tagName(), rule.tagId(), status, null));
                } else {
                    tagChangesOverCap++;
                }
            }
            for (String contactId : rule.extra().items()) {
                if (mergedLeads.contains(contactId)) {
                    continue;
                }
                if (tagChanges.size() < options.caps().tagChanges()) {
                    tagChanges.add(new Change(REMOVE_TAG, contactId, null, rule.tagName(), rule.tagId(), status, null));
                } else {
                    tagChangesOverCap++;
                }
            }
        }
        tagsToCreate.forEach(name -> changes.add(new Change(CREATE_TAG, null, null, name, null, status, null)));
        changes.addAll(tagChanges);

        run.changes = changes;
        run.nextChange = 0;
        run.skipped = new AuditReport.Skipped(mergesOverCap, tagChangesOverCap, ambiguous);
    }
}
