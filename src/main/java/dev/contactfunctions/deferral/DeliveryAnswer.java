package dev.contactfunctions.deferral;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.ApiResponses;

/** What a webhook answers for one delivery, as {@link DeliveryLifecycle#accept} decided it. */
public sealed interface DeliveryAnswer {

    /**
     * The answer of a signed webhook route: 200 with the outcome, 202 queued, or 409 while another invocation holds the
     * delivery; {@code deliveryIdName} names the delivery's id as the sender knows it.
     */
    default APIGatewayV2HTTPResponse toHttpResponse(String deliveryIdName) {
        if (this instanceof Done done) {
            return ApiResponses.json(200, done.body());
        }
        if (this instanceof Queued queued) {
            return ApiResponses.queued(queued.deliveryId());
        }
        return ApiResponses.inProgress("A delivery with this " + deliveryIdName + " is being processed; repeated later,"
                + " it gets that delivery's answer, or takes it over if its holder died",
                ((InProgress) this).retryAfterSeconds());
    }

    /** Processed now, or before ({@code replayed}: a repeated delivery, answered without any work). */
    record Done(ObjectNode body, boolean replayed) implements DeliveryAnswer {
    }

    /**
     * Waiting on the deferral queue (202 for our webhooks). {@code reason} says why, for the log line; {@code again}
     * is true for a repeated delivery of one that was queued before (nothing is queued twice).
     */
    record Queued(String deliveryId, boolean again, String reason) implements DeliveryAnswer {
    }

    /**
     * Another invocation is processing the same delivery right now (a concurrent duplicate), or died doing so: 409,
     * retry after {@code retryAfterSeconds}, when that invocation's hold has run out and a retry takes over.
     */
    record InProgress(String deliveryId, long retryAfterSeconds) implements DeliveryAnswer {
    }
}
