package dev.contactfunctions.identity;

import java.util.List;

import dev.contactfunctions.intercom.model.Contact;

/**
 * What merging a person's leads into their user did.
 *
 * @param user the user as Intercom last answered it (after the merges)
 * @param mergedLeadIds leads merged into the user, in merge order (their ids are dead now)
 * @param attributesCopied custom attribute names copied from the leads to the user before merging
 * @param skipped contacts considered and left alone, with the reason
 * @param excessLeads leads over the per-event cap, left for a re-delivery (or the audit)
 */
public record MergeResult(Contact user, List<String> mergedLeadIds, List<String> attributesCopied,
        List<SkippedLead> skipped, int excessLeads) {

    public MergeResult {
        mergedLeadIds = List.copyOf(mergedLeadIds);
        attributesCopied = List.copyOf(attributesCopied);
        skipped = List.copyOf(skipped);
    }

    public String userId() {
        return user.id();
    }
}
