package dev.contactfunctions.deferral;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One webhook delivery as {@link DeliveryLifecycle} tracks it.
 *
 * @param route       the processor that finishes it from the queue ({@link DeferredDeliveryProcessor#route()})
 * @param ledgerKey   its delivery-ledger key: the route's prefix and {@code deliveryId}; also the queue's dedup id
 * @param deliveryId  what its sender knows it by: the Idempotency-Key, a notification id, or a generated id
 * @param identity    the person ({@code email:...}, {@code external_id:...}): the queue keeps their order
 * @param payload     the validated request, as the queue's processor reads it back
 * @param fingerprint a digest of the validated request, so that a reused delivery id is caught; null: not checked
 */
public record Delivery(String route, String ledgerKey, String deliveryId, String identity, JsonNode payload,
        String fingerprint) {

    /** The fingerprint of a validated request from its canonical bytes: the same request always gives the same. */
    public static String fingerprintOf(byte[] canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
