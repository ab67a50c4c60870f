package dev.contactfunctions.intercom;

import java.time.Instant;
import java.util.Optional;

/**
 * A failed Intercom call, typed by what the caller can do about it (contract.md §11). Messages never carry the
 * token; Intercom's own message is kept because callers (and the 409 parser) need it.
 */
public abstract sealed class IntercomException extends RuntimeException {

    private final int status;
    private final String code;
    private final String requestId;
    private volatile boolean retryForbidden;

    IntercomException(int status, String code, String message, String requestId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.requestId = requestId;
    }

    /** HTTP status, or 0 when no answer came (I/O error, timeout, circuit open, budget spent). */
    public int status() {
        return status;
    }

    /** Intercom's error code ({@code not_found}, {@code conflict}, ...), when the body had one. */
    public String code() {
        return code;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Whether the failure is transient: worth retrying later, or deferring. */
    public abstract boolean isTransient();

    /**
     * Whether a write that failed this way may have been carried out all the same: a 5xx, or no answer after the
     * request may have reached Intercom (a read timeout, a connection reset). A 4xx, a connection that could not be
     * made, an open circuit breaker or a spent budget prove that nothing was written.
     */
    public boolean mayHaveWritten() {
        if (this instanceof ServerError) {
            return true;
        }
        if (!(this instanceof Unavailable unavailable)
                || unavailable.reason() != Unavailable.Reason.IO_ERROR && unavailable.reason() != Unavailable.Reason.TIMEOUT) {
            return false;
        }
        for (Throwable cause = getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.UnknownHostException
                    || cause instanceof java.net.NoRouteToHostException) {
                return false;
            }
        }
        return true;
    }

    /** Whether the shared retry policy may repeat this call now. */
    boolean retryPermitted() {
        return isTransient() && !retryForbidden;
    }

    /** Marks the failure as one the shared policy must not retry (a non-idempotent call whose outcome is unknown). */
    IntercomException forbidRetry() {
        retryForbidden = true;
        return this;
    }

    /** 404: the contact, tag or segment does not exist (or was merged away, before 2.16). */
    public static final class NotFound extends IntercomException {
        public NotFound(String code, String message, String requestId) {
            super(404, code, message, requestId, null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** 409: a contact with these details exists; Intercom names it only inside the message. */
    public static final class Conflict extends IntercomException {
        private final String existingContactId;
        private final boolean archived;

        public Conflict(String message, String requestId, String existingContactId, boolean archived) {
            super(409, "conflict", message, requestId, null);
            this.existingContactId = existingContactId;
            this.archived = archived;
        }

        public Optional<String> existingContactId() {
            return Optional.ofNullable(existingContactId);
        }

        public boolean archived() {
            return archived;
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** 429: over the rate limit until {@link #resetAt()}. */
    public static final class RateLimited extends IntercomException {
        private final Instant resetAt;

        public RateLimited(String message, String requestId, Instant resetAt) {
            super(429, "rate_limit_exceeded", message, requestId, null);
            this.resetAt = resetAt;
        }

        /** When the window resets, from {@code X-RateLimit-Reset}; empty when the header was missing. */
        public Optional<Instant> resetAt() {
            return Optional.ofNullable(resetAt);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** 400 (and 422): the request is wrong, e.g. "Custom attribute 'x' does not exist". */
    public static final class InvalidRequest extends IntercomException {
        private final String field;

        public InvalidRequest(int status, String code, String field, String message, String requestId) {
            super(status, code, message, requestId, null);
            this.field = field;
        }

        public Optional<String> field() {
            return Optional.ofNullable(field);
        }

        /** The attribute name when Intercom refused an unknown custom attribute. */
        public Optional<String> unknownCustomAttribute() {
            return IntercomErrors.unknownCustomAttribute(getMessage());
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** 401 (and 403): the token is missing, wrong, revoked or lacks the permission. */
    public static final class Unauthorized extends IntercomException {
        public Unauthorized(int status, String code, String message, String requestId) {
            super(status, code, message, requestId, null);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** 410 {@code contact_merged} (API 2.16+): the contact was merged into the one named by the {@code Link} header. */
    public static final class Gone extends IntercomException {
        private final String canonicalContactId;

        public Gone(String code, String message, String requestId, String canonicalContactId) {
            super(410, code, message, requestId, null);
            this.canonicalContactId = canonicalContactId;
        }

        public Optional<String> canonicalContactId() {
            return Optional.ofNullable(canonicalContactId);
        }

        @Override
        public boolean isTransient() {
            return false;
        }
    }

    /** 5xx: Intercom failed; the body may be an HTML page. */
    public static final class ServerError extends IntercomException {
        public ServerError(int status, String code, String message, String requestId) {
            super(status, code, message, requestId, null);
        }

        @Override
        public boolean isTransient() {
            return true;
        }
    }

    /** No answer: connection refused or reset, timeout, circuit breaker open, or the call budget spent. */
    public static final class Unavailable extends IntercomException {
        private final Reason reason;

        public Unavailable(Reason reason, String message, Throwable cause) {
            super(0, reason.name().toLowerCase(java.util.Locale.ROOT), message, null, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }

        @Override
        public boolean isTransient() {
            return true;
        }

        public enum Reason {
            IO_ERROR, TIMEOUT, CIRCUIT_OPEN, BUDGET_SPENT
        }
    }

    /** Any other status (406, 408, unknown codes): mapped generically. */
    public static final class Failed extends IntercomException {
        public Failed(int status, String code, String message, String requestId) {
            super(status, code, message, requestId, null);
        }

        @Override
        public boolean isTransient() {
            return status() == 408;
        }
    }
}
