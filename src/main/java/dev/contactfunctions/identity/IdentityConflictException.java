package dev.contactfunctions.identity;

/**
 * Intercom's state contradicts the person's identity: the contact a 409 names belongs to someone else or is not a
 * user, or the user vanished in the middle of the merges. {@link #retryable()} says whether a re-delivery would
 * resolve it (it re-resolves the user from scratch).
 */
public class IdentityConflictException extends RuntimeException {

    private final String code;
    private final boolean retryable;

    public IdentityConflictException(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
