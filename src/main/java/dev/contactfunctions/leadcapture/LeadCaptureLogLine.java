package dev.contactfunctions.leadcapture;

import java.util.regex.Pattern;

import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * What one lead delivery did, for the one {@link LogLine} logged per delivery:
 * {@code lead_capture status=... outcome=... delivery_id=... email_fp=... duration_ms=...}. Emails only as
 * {@link Pseudonyms#emailFingerprint}; a value from the request cannot add or forge a field.
 */
final class LeadCaptureLogLine {

    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^\\s@'\"<>()]+@[^\\s@'\"<>()]+");

    private String source;
    private String ignored;
    private String emailFingerprint = "-";
    private String deliveryId = "-";
    private DeliveryAnswer answer;
    private String error;

    /** The form tool a delivery came from ({@code typeform}, ...); none on {@code /webhooks/leads}. */
    void source(String source) {
        this.source = source;
    }

    /** The delivery was acknowledged without any work, for this reason. */
    void ignored(String reason) {
        this.ignored = reason;
    }

    void emailFingerprint(String fingerprint) {
        this.emailFingerprint = fingerprint;
    }

    String emailFingerprint() {
        return emailFingerprint;
    }

    void deliveryId(String id) {
        this.deliveryId = id;
    }

    void answer(DeliveryAnswer answer) {
        this.answer = answer;
    }

    void error(String code) {
        this.error = code;
    }

    /** The line, with the answer's status and the time the delivery took. */
    LogLine line(int status, long durationMillis) {
        LogLine line = LogLine.of("lead_capture").put("status", status).put("source", source);
        if (ignored != null) {
            line.put("outcome", "ignored").put("reason", ignored);
        } else if (answer instanceof DeliveryAnswer.Done done) {
            line.put("outcome", done.body().path("outcome").asText())
                    .put("contact_id", done.body().path("contact_id").asText())
                    .put("role", done.body().path("role").asText()).put("replayed", done.replayed());
        } else if (answer instanceof DeliveryAnswer.Queued queued) {
            line.put("outcome", "queued").put("reason", queued.reason()).put("replayed", queued.again());
        } else if (answer instanceof DeliveryAnswer.InProgress) {
            line.put("outcome", "in_progress");
        } else {
            line.put("outcome", status >= 500 ? "failed" : "rejected").put("error", error);
        }
        return line.put("delivery_id", maskEmails(deliveryId)).put("email_fp", emailFingerprint)
                .put("duration_ms", durationMillis);
    }

    /** Text with every email-like word replaced by {@code <email>}: what may reach a log line or an answer. */
    static String maskEmails(String text) {
        return EMAIL_IN_TEXT.matcher(text).replaceAll("<email>");
    }
}
