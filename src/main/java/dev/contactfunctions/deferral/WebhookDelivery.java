package dev.contactfunctions.deferral;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One webhook delivery as {@link DeliveryLifecycle} tracks it.
 *
 * @param route       the processor that finishes it from the queue ({@link DeferredDeliveryProcessor#route()})
 * @param ledgerKey   its delivery-ledger key: the route's prefix and {@code deliveryId}; also the queue's dedup id
 * @param deliveryId  what its sender knows it by: the Idempotency-Key, a notification id, or a generated id
 * @param identity    the person, a pseudonym ({@code email:<hash>}, {@code external_id:<hash>}): the queue keeps
 *                    their order
 * @param payload     the validated request, as the queue's processor reads it back
 * @param fingerprint a keyed digest of the validated request ({@link dev.contactfunctions.identifiers.Pseudonyms#request}),
 *                    so that a reused delivery id is caught; null: not checked
 */
public record WebhookDelivery(String route, String ledgerKey, String deliveryId, String identity, JsonNode payload,
        String fingerprint) {
}
