package dev.contactfunctions.leadcapture;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import dev.contactfunctions.webhook.FormToolSecrets;
import dev.contactfunctions.webhook.WebhookRequest;

/**
 * A hosted form tool whose own webhook lead capture takes as the tool sends it, on
 * {@code POST /webhooks/leads/<name>}: the event it handles, its signature, and the name of its field mapping
 * ({@code lead-capture.<name>-fields}).
 */
enum FormSource {

    TYPEFORM("form_response", "Typeform answer type email") {
        @Override
        void verify(FormToolSecrets secrets, WebhookRequest request) {
            secrets.verifyTypeform(request);
        }
    },
    TALLY("FORM_RESPONSE", "Tally field type INPUT_EMAIL") {
        @Override
        void verify(FormToolSecrets secrets, WebhookRequest request) {
            secrets.verifyTally(request);
        }
    },
    WEBFLOW("form_submission", "Webflow field type FormEmail, or a field named email") {
        @Override
        void verify(FormToolSecrets secrets, WebhookRequest request) {
            secrets.verifyWebflow(request);
        }
    };

    static final String PATH_PREFIX = LeadCaptureHandler.LEADS_PATH + "/";

    private final String handledEvent;
    private final String emailField;

    FormSource(String handledEvent, String emailField) {
        this.handledEvent = handledEvent;
        this.emailField = emailField;
    }

    /** Verifies the delivery's signature (or token) with this source's own key; a 401 or a 503 otherwise. */
    abstract void verify(FormToolSecrets secrets, WebhookRequest request);

    /** {@code typeform}, {@code tally}, {@code webflow}: the route's last segment and the log's {@code source}. */
    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    String path() {
        return PATH_PREFIX + wire();
    }

    /** The one event type that carries a submission; any other is answered 200 {@code ignored}. */
    String handledEvent() {
        return handledEvent;
    }

    /** What the default mapping takes as the email, for messages. */
    String emailField() {
        return emailField;
    }

    /** The mapping's setting, for messages: {@code lead-capture.typeform-fields (LEAD_CAPTURE_TYPEFORM_FIELDS)}. */
    String mappingSetting() {
        return "lead-capture." + wire() + "-fields (LEAD_CAPTURE_" + name() + "_FIELDS)";
    }

    /** The source a request path names ({@code /webhooks/leads/typeform}, also behind a stage prefix). */
    static Optional<FormSource> ofPath(String path) {
        return Arrays.stream(values()).filter(s -> path.equals(s.path()) || path.endsWith(s.path())).findFirst();
    }
}
