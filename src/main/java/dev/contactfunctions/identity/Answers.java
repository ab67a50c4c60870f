package dev.contactfunctions.identity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.webhook.ApiResponses;
import dev.contactfunctions.webhook.WebhookException;

/** The bodies of identify-merge's answers, and the mapping of every failure to its status and error code. */
@ApplicationScoped
class Answers {

    private static final Logger LOG = Logger.getLogger(IdentifyMergeHandler.class);

    private final Clock clock;
    private final IdentifyMergeConfig config;

    Answers(Clock clock, IdentifyMergeConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /** {@code {user_id, user_created, merged_lead_ids, attributes_copied, skipped: [{id, reason}], excess_leads?}}. */
    static Map<String, Object> identified(IdentifyResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", result.userId());
        body.put("user_created", result.userCreated());
        Map<String, Object> merge = merged(result.merge());
        merge.remove("user_id");
        body.putAll(merge);
        return body;
    }

    /** {@code {user_id, merged_lead_ids, attributes_copied, skipped, excess_leads?}}; excess only when capped. */
    static Map<String, Object> merged(MergeResult result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", result.userId());
        body.put("merged_lead_ids", result.mergedLeadIds());
        body.put("attributes_copied", result.attributesCopied());
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (SkippedLead lead : result.skipped()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", lead.id());
            entry.put("reason", lead.reason().wire());
            skipped.add(entry);
        }
        body.put("skipped", skipped);
        if (result.excessLeads() > 0) {
            body.put("excess_leads", result.excessLeads());
        }
        return body;
    }

    /** The answer to a failed delivery; nothing of the failure's outside text reaches the log line. */
    APIGatewayV2HTTPResponse failure(RuntimeException failure, IdentifyMergeLogLine log) {
        if (failure instanceof WebhookException refused) {
            log.put("error", refused.code()).put("field", refused.field());
            return ApiResponses.error(refused);
        }
        if (failure instanceof IntercomException intercom) {
            return intercomFailure(intercom, log);
        }
        if (failure instanceof NotConfiguredException missing) {
            log.put("error", "not_configured");
            return ApiResponses.notConfigured(missing);
        }
        if (failure instanceof DeferralException) {
            log.put("error", "queue_unavailable");
            LOG.errorf("identify_merge intercom unreachable and the delivery could not be queued (%s)",
                    failure.getMessage());
            return ApiResponses.unavailable("Intercom could not be reached in time and the delivery could not be"
                    + " queued; retry later", config.retryAfterSeconds());
        }
        if (failure instanceof IdentityConflictException conflict) {
            log.put("error", conflict.code());
            if (conflict.retryable()) {
                return retryLater(conflict.code(), conflict.getMessage(), config.retryAfterSeconds());
            }
            return ApiResponses.error(409, conflict.code(), conflict.getMessage(), null);
        }
        log.put("error", "internal_error");
        LOG.error("identify_merge unexpected failure", failure);
        return ApiResponses.error(500, "internal_error", "Unexpected failure; see the function's logs", null);
    }

    private APIGatewayV2HTTPResponse intercomFailure(IntercomException failure, IdentifyMergeLogLine log) {
        log.put("error", "intercom").put("intercom_status", failure.status()).put("intercom_code", failure.code());
        if (failure instanceof IntercomException.InvalidRequest invalid
                && invalid.unknownCustomAttribute().isPresent()) {
            String name = invalid.unknownCustomAttribute().get();
            return ApiResponses.error(422, "unknown_custom_attribute", "Custom attribute " + name
                    + " does not exist in the Intercom workspace", "custom_attributes." + name);
        }
        if (failure.isTransient()) {
            return ApiResponses.unavailable("Intercom could not be reached within this invocation's time ("
                    + describe(failure) + "); retry later: every completed step is kept", retryAfter(failure));
        }
        return ApiResponses.error(502, "intercom_rejected", "Intercom refused a call: " + describe(failure), null);
    }

    private long retryAfter(IntercomException failure) {
        return ApiResponses.retryAfterSeconds(failure, clock, config.retryAfterSeconds());
    }

    private static String describe(IntercomException failure) {
        String status = failure.status() == 0 ? "no answer" : "HTTP " + failure.status();
        return failure.code() == null ? status : status + " " + failure.code();
    }

    private static APIGatewayV2HTTPResponse retryLater(String code, String message, long seconds) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("retry_after_seconds", seconds);
        return ApiResponses.json(503, Map.of("error", error), Map.of("Retry-After", Long.toString(seconds)));
    }
}
