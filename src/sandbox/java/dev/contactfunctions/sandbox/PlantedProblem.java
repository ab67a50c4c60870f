package dev.contactfunctions.sandbox;

/** Data-quality problems {@link SeedSpec} can plant in a generated workspace, for the audit to find. */
public enum PlantedProblem {
    /** A lead with the same email as a user: it should be merged into the user. */
    LEAD_SHARES_USER_EMAIL,
    /** Two users with the same email (different external ids). */
    USERS_SHARE_EMAIL,
    /** A user without one of {@link SeedSpec#REQUIRED_USER_ATTRIBUTES}. */
    MISSING_REQUIRED_ATTRIBUTE,
    /** A contact whose plan tags break {@link SeedSpec}'s tag rule. */
    WRONG_TAG
}
