package dev.contactfunctions.deferral;

/** A deferred delivery could not be stored: the request is not accepted and the sender has to retry. */
public class DeferralException extends RuntimeException {

    public DeferralException(String message, Throwable cause) {
        super(message, cause);
    }

    public DeferralException(String message) {
        super(message);
    }
}
