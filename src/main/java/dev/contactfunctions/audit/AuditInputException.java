package dev.contactfunctions.audit;

/** The schedule's input or the configuration asks for something the audit cannot do; nothing was changed. */
public class AuditInputException extends RuntimeException {

    public AuditInputException(String message) {
        super(message);
    }

    public AuditInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
