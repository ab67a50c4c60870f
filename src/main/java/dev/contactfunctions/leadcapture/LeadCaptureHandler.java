package dev.contactfunctions.leadcapture;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.support.Emails;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/leads}: verifies the signature over the raw body, validates the lead, hands it to
 * {@link LeadCaptureService} and maps the result. One log line per delivery, never with the email in clear.
 */
@Named("lead-capture")
public class LeadCaptureHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger LOG = Logger.getLogger(LeadCaptureHandler.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final long DEFAULT_RETRY_AFTER_SECONDS = 30;
    private static final Duration LONGEST_LAMBDA_RUN = Duration.ofMinutes(15);
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^\\s@'\"<>()]+@[^\\s@'\"<>()]+");

    private final LeadCaptureService service;
    private final WebhookSecrets secrets;
    private final CallBudget budget;
    private final Clock clock;

    LeadCaptureHandler(LeadCaptureService service, WebhookSecrets secrets, CallBudget budget, Clock clock) {
        this.service = service;
        this.secrets = secrets;
        this.budget = budget;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        Delivery delivery = new Delivery();
        APIGatewayV2HTTPResponse response;
        try (CallBudget.Scope scope = openBudget(context)) {
            response = handle(event, delivery);
        } catch (WebhookException e) {
            delivery.error = e.code();
            response = ApiResponses.error(e);
        } catch (IntercomException e) {
            response = intercomFailure(e, delivery);
        } catch (RuntimeException e) {
            delivery.error = "internal_error";
            LOG.errorf(e, "lead_capture unexpected failure email_fp=%s", delivery.emailFingerprint);
            response = ApiResponses.error(500, "internal_error", "The lead could not be processed; retry later", null);
        }
        delivery.log(response.getStatusCode(), (System.nanoTime() - started) / 1_000_000);
        return response;
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Delivery delivery) {
        WebhookRequest request = WebhookRequest.from(event);
        if (request.method() != null && !"POST".equals(request.method())) {
            throw new WebhookException(405, "method_not_allowed", "Only POST is accepted");
        }
        request.requireBodyWithinLimit();
        secrets.signatureVerifier().verify(request);
        ObjectNode body = RequestBodies.parse(request, true);
        LeadSubmission lead = LeadSubmission.from(body, !"application/json".equals(request.mediaType().orElse("")));
        delivery.emailFingerprint = Emails.fingerprint(lead.email());
        Optional<String> idempotencyKey = idempotencyKey(request);
        LeadOutcome outcome = service.capture(lead, idempotencyKey);
        delivery.outcome = outcome;
        return ApiResponses.json(200, outcome.body());
    }

    private static Optional<String> idempotencyKey(WebhookRequest request) {
        Optional<String> key = request.header(IDEMPOTENCY_KEY);
        if (key.isPresent() && !KEY.matcher(key.get()).matches()) {
            throw new WebhookException(400, "invalid_idempotency_key",
                    "Idempotency-Key must be 1 to 255 visible ASCII characters", IDEMPOTENCY_KEY);
        }
        return key;
    }

    /**
     * Transient failures (Intercom unreachable within the budget) become 503 with a retry hint: a retry is safe.
     * Anything else is Intercom refusing what we sent: a 502 the sender sees and an error log, never a silent loss.
     */
    private APIGatewayV2HTTPResponse intercomFailure(IntercomException e, Delivery delivery) {
        String detail = "HTTP " + e.status() + (e.code() == null ? "" : " " + e.code());
        if (e.isTransient()) {
            delivery.error = "intercom_unavailable";
            long retryAfter = retryAfterSeconds(e);
            LOG.warnf("lead_capture intercom unavailable (%s, request_id=%s) email_fp=%s; answered 503, retry in %ds",
                    detail, e.requestId().orElse("-"), delivery.emailFingerprint, retryAfter);
            return ApiResponses.unavailable("Intercom could not be reached in time; retry the delivery later",
                    retryAfter);
        }
        delivery.error = "intercom_rejected";
        String message = maskEmails(String.valueOf(e.getMessage()));
        LOG.errorf("lead_capture intercom rejected the lead (%s, request_id=%s) email_fp=%s: %s", detail,
                e.requestId().orElse("-"), delivery.emailFingerprint, message);
        return ApiResponses.error(502, "intercom_rejected",
                "Intercom refused the request (" + detail + "): " + message + "; the lead was not saved", null);
    }

    private long retryAfterSeconds(IntercomException e) {
        if (e instanceof IntercomException.RateLimited limited && limited.resetAt().isPresent()) {
            long seconds = Duration.between(clock.instant(), limited.resetAt().get()).toSeconds() + 1;
            return Math.max(1, seconds);
        }
        return DEFAULT_RETRY_AFTER_SECONDS;
    }

    /**
     * The invocation's call budget. The local mock event server sends no deadline (the context then answers
     * nonsense), so outside a real Lambda deadline the client's own fixed budget applies.
     */
    private CallBudget.Scope openBudget(Context context) {
        long remaining = context == null ? 0 : context.getRemainingTimeInMillis();
        if (remaining <= 0 || remaining > LONGEST_LAMBDA_RUN.toMillis()) {
            return () -> {
            };
        }
        return budget.open(Duration.ofMillis(remaining));
    }

    static String maskEmails(String text) {
        return EMAIL_IN_TEXT.matcher(text).replaceAll("<email>");
    }

    /** What one delivery did, for its log line. */
    private static final class Delivery {
        String emailFingerprint = "-";
        LeadOutcome outcome;
        String error;

        void log(int status, long millis) {
            if (outcome != null) {
                LOG.infof("lead_capture status=%d outcome=%s contact_id=%s role=%s replayed=%s email_fp=%s duration_ms=%d",
                        status, outcome.outcome(), outcome.contactId(), outcome.role(), outcome.replayed(),
                        emailFingerprint, millis);
            } else {
                LOG.infof("lead_capture status=%d outcome=%s error=%s email_fp=%s duration_ms=%d", status,
                        status >= 500 ? "failed" : "rejected", error, emailFingerprint, millis);
            }
        }
    }
}
