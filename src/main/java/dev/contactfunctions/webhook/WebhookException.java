package dev.contactfunctions.webhook;

/** A request refused before anything is written: answered with {@code status} and {@code {error: {code, message, field}}}. */
public class WebhookException extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    public WebhookException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public WebhookException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public static WebhookException invalid(String field, String message) {
        return new WebhookException(400, "invalid_field", message, field);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
