package dev.contactfunctions.leadcapture;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.deferral.DeliveryAnswer;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.WebhookException;

/**
 * Lead capture's answers: 200 captured, 202 queued (Intercom unreachable within the budget), 409 the same delivery in
 * progress elsewhere, and the mapping of every failure to its status and error code. A failure never loses a lead
 * silently: what is not a refusal of the sender's is logged as a warning or an error.
 */
@ApplicationScoped
class LeadAnswers {

    static final long DEFAULT_RETRY_AFTER_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(LeadCaptureHandler.class);

    private final Clock clock;

    LeadAnswers(Clock clock) {
        this.clock = clock;
    }

    /** The answer to a delivery the ledger took: done, queued or in progress. */
    static APIGatewayV2HTTPResponse delivered(DeliveryAnswer answer, LeadCaptureLogLine log) {
        log.answer(answer);
        return answer.toHttpResponse("id (its Idempotency-Key, or the form tool's response id)");
    }

    /** The answer to a failed delivery. */
    APIGatewayV2HTTPResponse failure(RuntimeException failure, LeadCaptureLogLine log) {
        if (failure instanceof WebhookException refused) {
            log.error(refused.code());
            return ApiResponses.error(refused);
        }
        if (failure instanceof NotConfiguredException missing) {
            log.error("not_configured");
            return ApiResponses.notConfigured(missing);
        }
        if (failure instanceof DeferralException) {
            log.error("queue_unavailable");
            LOG.errorf("lead_capture intercom unreachable and the delivery could not be queued (%s) email_fp=%s;"
                    + " answered 503", failure.getMessage(), log.emailFingerprint());
            return ApiResponses.unavailable("Intercom could not be reached in time and the delivery could not be"
                    + " queued; retry the delivery later", DEFAULT_RETRY_AFTER_SECONDS);
        }
        if (failure instanceof IntercomException intercom) {
            return intercomFailure(intercom, log);
        }
        log.error("internal_error");
        LOG.errorf(failure, "lead_capture unexpected failure email_fp=%s", log.emailFingerprint());
        return ApiResponses.error(500, "internal_error", "The lead could not be processed; retry later", null);
    }

    /**
     * Intercom refusing what we sent (transient failures never get here: they are queued): a 502 the sender sees and an
     * error log, never a silent loss.
     */
    private APIGatewayV2HTTPResponse intercomFailure(IntercomException e, LeadCaptureLogLine log) {
        String detail = "HTTP " + e.status() + (e.code() == null ? "" : " " + e.code());
        if (e.isTransient()) {
            log.error("intercom_unavailable");
            long retryAfter = ApiResponses.retryAfterSeconds(e, clock, DEFAULT_RETRY_AFTER_SECONDS);
            LOG.warnf("lead_capture intercom unavailable (%s, request_id=%s) email_fp=%s; answered 503, retry in %ds",
                    detail, LogLine.quote(e.requestId().orElse("-")), log.emailFingerprint(), retryAfter);
            return ApiResponses.unavailable("Intercom could not be reached in time; retry the delivery later",
                    retryAfter);
        }
        log.error("intercom_rejected");
        String message = LeadCaptureLogLine.maskEmails(String.valueOf(e.getMessage()));
        LOG.errorf("lead_capture intercom rejected the lead (%s, request_id=%s) email_fp=%s: %s", detail,
                LogLine.quote(e.requestId().orElse("-")), log.emailFingerprint(), LogLine.quote(message));
        return ApiResponses.error(502, "intercom_rejected",
                "Intercom refused the request (" + detail + "): " + message + "; the lead was not saved", null);
    }
}
