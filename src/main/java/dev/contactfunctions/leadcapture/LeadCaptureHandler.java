package dev.contactfunctions.leadcapture;

import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.deferral.WebhookAndQueueHandler;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.RequestBodies;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.webhook.WebhookRequest;
import dev.contactfunctions.webhook.WebhookSecrets;

/**
 * {@code POST /webhooks/leads}: verifies the signature over the raw body, validates the lead, hands it to
 * {@link LeadCaptureDeliveries} and maps the result: 200 captured, 202 queued (Intercom unreachable within the budget),
 * 409 the same delivery in progress elsewhere. The same handler consumes the function's deferral queue (an SQS event,
 * see {@link WebhookAndQueueHandler}). One structured log line per delivery, never with the email in clear.
 */
@Named("lead-capture")
public class LeadCaptureHandler extends WebhookAndQueueHandler {

    private static final Logger LOG = Logger.getLogger(LeadCaptureHandler.class);
    static final long DEFAULT_RETRY_AFTER_SECONDS = 30;
    private static final Pattern EMAIL_IN_TEXT = Pattern.compile("[^\\s@'\"<>()]+@[^\\s@'\"<>()]+");

    private final LeadCaptureDeliveries deliveries;
    private final WebhookSecrets secrets;
    private final Clock clock;
    private final RequiredSettings settings;
    private final Pseudonyms pseudonyms;

    LeadCaptureHandler(LeadCaptureDeliveries deliveries, WebhookSecrets secrets, CallBudget budget, Clock clock,
            DeferredDeliveryConsumer consumer, RequiredSettings settings, Pseudonyms pseudonyms) {
        super("lead-capture", consumer, budget);
        this.deliveries = deliveries;
        this.secrets = secrets;
        this.clock = clock;
        this.settings = settings;
        this.pseudonyms = pseudonyms;
    }

    @Override
    protected APIGatewayV2HTTPResponse handleWebhook(APIGatewayV2HTTPEvent event, Context context) {
        long started = System.nanoTime();
        Delivery delivery = new Delivery();
        APIGatewayV2HTTPResponse response;
        try (InvocationDeadline.Scope scope = openBudget(context)) {
            response = handle(event, delivery);
        } catch (WebhookException e) {
            delivery.error = e.code();
            response = ApiResponses.error(e);
        } catch (NotConfiguredException e) {
            delivery.error = "not_configured";
            response = ApiResponses.notConfigured(e);
        } catch (DeferralException e) {
            delivery.error = "queue_unavailable";
            LOG.errorf("lead_capture intercom unreachable and the delivery could not be queued (%s) email_fp=%s;"
                    + " answered 503", e.getMessage(), delivery.emailFingerprint);
            response = ApiResponses.unavailable("Intercom could not be reached in time and the delivery could not be"
                    + " queued; retry the delivery later", DEFAULT_RETRY_AFTER_SECONDS);
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
        secrets.leadSignatureVerifier().verify(request);
        settings.check();
        ObjectNode body = RequestBodies.parse(request, true);
        LeadSubmission lead = LeadSubmission.from(body, !"application/json".equals(request.mediaType().orElse("")));
        delivery.emailFingerprint = pseudonyms.emailFingerprint(lead.email());
        delivery.id = request.deliveryId();
        DeliveryAnswer answer = deliveries.accept(lead, delivery.id);
        delivery.answer = answer;
        if (answer instanceof DeliveryAnswer.Done done) {
            return ApiResponses.json(200, done.body());
        }
        if (answer instanceof DeliveryAnswer.Queued queued) {
            return ApiResponses.queued(queued.deliveryId());
        }
        return ApiResponses.inProgress("A delivery with this Idempotency-Key is being processed; repeated later, it"
                + " gets that delivery's answer", ((DeliveryAnswer.InProgress) answer).retryAfterSeconds());
    }

    /**
     * Intercom refusing what we sent (transient failures never get here: they are queued): a 502 the sender sees and an
     * error log, never a silent loss.
     */
    private APIGatewayV2HTTPResponse intercomFailure(IntercomException e, Delivery delivery) {
        String detail = "HTTP " + e.status() + (e.code() == null ? "" : " " + e.code());
        if (e.isTransient()) {
            delivery.error = "intercom_unavailable";
            long retryAfter = retryAfterSeconds(e);
            LOG.warnf("lead_capture intercom unavailable (%s, request_id=%s) email_fp=%s; answered 503, retry in %ds",
                    detail, LogLine.quote(e.requestId().orElse("-")), delivery.emailFingerprint, retryAfter);
            return ApiResponses.unavailable("Intercom could not be reached in time; retry the delivery later",
                    retryAfter);
        }
        delivery.error = "intercom_rejected";
        String message = maskEmails(String.valueOf(e.getMessage()));
        LOG.errorf("lead_capture intercom rejected the lead (%s, request_id=%s) email_fp=%s: %s", detail,
                LogLine.quote(e.requestId().orElse("-")), delivery.emailFingerprint, LogLine.quote(message));
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

    static String maskEmails(String text) {
        return EMAIL_IN_TEXT.matcher(text).replaceAll("<email>");
    }

    /** What one delivery did, for its log line (a {@link LogLine}: a request's values cannot add or forge a field). */
    private static final class Delivery {
        String emailFingerprint = "-";
        String id = "-";
        DeliveryAnswer answer;
        String error;

        void log(int status, long millis) {
            LogLine line = LogLine.of("lead_capture").put("status", status);
            if (answer instanceof DeliveryAnswer.Done done) {
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
            line.put("delivery_id", maskEmails(id)).put("email_fp", emailFingerprint).put("duration_ms", millis)
                    .info(LOG);
        }
    }
}
