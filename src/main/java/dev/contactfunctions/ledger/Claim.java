package dev.contactfunctions.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link IdentityLedger#claim}: either this caller now holds the person's identity ({@link Won}) and
 * may write the person's record and contact until it remembers, forgets or releases it, or another delivery holds it
 * ({@link Held}) and this caller must wait or be deferred.
 */
public sealed interface Claim {

    /**
     * The caller holds the identity.
     *
     * @param unsettledCreateSince when an earlier create for this identity was sent whose outcome is still unknown
     *                             (it answered a timeout or a 5xx, or its sender died): that contact may exist
     *                             although search cannot show it yet. Empty when there is none.
     * @param contactId            the contact remembered for the identity, if one is
     * @param mergingLeadId        a lead that was being merged into {@code contactId} (a user) when its merge's
     *                             outcome became unknown: that lead answering 404 means it was merged
     */
    record Won(Optional<Instant> unsettledCreateSince, Optional<String> contactId, Optional<String> mergingLeadId)
            implements Claim {
        public Won {
            Objects.requireNonNull(unsettledCreateSince);
            Objects.requireNonNull(contactId);
            Objects.requireNonNull(mergingLeadId);
        }

        public Won(Optional<Instant> unsettledCreateSince) {
            this(unsettledCreateSince, Optional.empty(), Optional.empty());
        }
    }

    /** Another delivery holds the identity and has not finished (or its hold has not run out yet). */
    record Held() implements Claim {
    }

    static Claim won() {
        return new Won(Optional.empty());
    }

    static Claim wonUnsettled(Instant createSince) {
        return new Won(Optional.of(createSince));
    }

    /** Won over a remembered contact. */
    static Claim wonWith(String contactId) {
        return new Won(Optional.empty(), Optional.of(contactId), Optional.empty());
    }

    /** Won over a user a lead was being merged into. */
    static Claim wonMerging(String userId, String leadId) {
        return new Won(Optional.empty(), Optional.of(userId), Optional.of(leadId));
    }

    static Claim held() {
        return new Held();
    }
}
