package dev.contactfunctions.identity;

import java.util.Locale;

/** A contact that was considered for a merge and left alone, with why. */
public record SkippedLead(String id, Reason reason) {

    public enum Reason {
        /** 404 or 410: merged by a concurrent run, or deleted; nothing left to do. */
        GONE,
        /** Not a lead (a user, or a lead converted meanwhile): users are never merged. */
        NOT_A_LEAD,
        /** The given {@code lead_id} is the user itself. */
        IS_THE_USER,
        /** Found by the email search but carrying another email (only the given {@code lead_id} may). */
        OTHER_EMAIL,
        /** Intercom refused this merge (400/422, e.g. a Facebook lead): a re-delivery would be refused again. */
        MERGE_REFUSED;

        /** The value in answers and logs: {@code gone}, {@code not_a_lead}, ... */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
