package dev.contactfunctions.identifiers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.Secrets;

/**
 * The one rule for storing or logging a person's identifiers: a keyed hash (HMAC-SHA256) under a secret key, so that
 * nobody holding a list of addresses can match them without the key. The ledger's identities, the deferral queue's
 * message groups, log fingerprints and the audit report's email references all come from here; only the queued
 * payload itself carries an address.
 *
 * <p>The key is the Secrets Manager secret {@code PRIVACY_HASH_KEY_ARN}, else {@code PRIVACY_HASH_KEY} (local runs
 * and tests). Without either, every use throws {@link NotConfiguredException}. Changing the key changes every
 * pseudonym: the ledger's records then start afresh (see docs/reliability.md). So, unlike the other secrets, the key
 * is read once per instance, on first use, and kept for the instance's life, whatever {@link Secrets}' time-to-live:
 * an instance never switches a person's pseudonym between two deliveries.
 */
@ApplicationScoped
public class Pseudonyms {

    /** The documented key of local runs and tests; never a deployed stack's. */
    public static final String LOCAL_KEY = "local-dev-privacy-hash-key";
    /** Hex digits of a fingerprint: 48 bits, enough to tell people apart in a log or a report. */
    public static final int FINGERPRINT_LENGTH = 12;

    private final Optional<String> key;
    private final Optional<String> keyArn;
    private final Secrets secrets;
    private volatile SecretKeySpec spec;

    @Inject
    public Pseudonyms(@ConfigProperty(name = "privacy.hash-key") Optional<String> key,
            @ConfigProperty(name = "privacy.hash-key-arn") Optional<String> keyArn, Secrets secrets) {
        this.key = key;
        this.keyArn = keyArn;
        this.secrets = secrets;
    }

    /** Pseudonyms under a plain key (tests, and instances built by hand). */
    public static Pseudonyms withKey(String key) {
        return new Pseudonyms(Optional.ofNullable(key), Optional.empty(), null);
    }

    /** The email's pseudonym: 64 hex digits, the same for every spelling that normalizes alike. */
    public String email(String email) {
        return HexFormat.of().formatHex(emailDigest(email));
    }

    /** The external id's pseudonym: 64 hex digits. */
    public String externalId(String externalId) {
        return HexFormat.of().formatHex(mac("external_id:", externalId.getBytes(StandardCharsets.UTF_8)));
    }

    /** The email's short form for logs and reports: the first {@value #FINGERPRINT_LENGTH} hex digits of its pseudonym. */
    public String emailFingerprint(String email) {
        return email(email).substring(0, FINGERPRINT_LENGTH);
    }

    /** The first 64 bits of the email's pseudonym (the audit's index of emails); its top 48 are the fingerprint. */
    public long emailKey(String email) {
        byte[] digest = emailDigest(email);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (digest[i] & 0xff);
        }
        return value;
    }

    /**
     * A request's fingerprint, which the delivery ledger keeps to catch a reused delivery id: keyed, since the request
     * holds an address (a lead with an email alone would otherwise be matched from a list of addresses).
     */
    public String request(byte[] canonical) {
        return HexFormat.of().formatHex(mac("request:", canonical));
    }

    /** Fails now, with the setting to set, when the key is missing: before anything is written. */
    public void requireKey() {
        spec();
    }

    private byte[] emailDigest(String email) {
        return mac("email:", Emails.normalize(String.valueOf(email)).getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 of the kind's prefix and the value: one kind's pseudonyms never equal another's. */
    private byte[] mac(String kind, byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(spec());
            mac.update(kind.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(value);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private SecretKeySpec spec() {
        SecretKeySpec current = spec;
        if (current == null) {
            // read once and kept: never re-read after the secrets' time-to-live (see the class comment)
            String value = keyArn.filter(arn -> !arn.isBlank()).map(arn -> secrets.read(arn)).or(() -> key)
                    .map(String::trim).filter(k -> !k.isEmpty())
                    .orElseThrow(() -> new NotConfiguredException("PRIVACY_HASH_KEY_ARN (or PRIVACY_HASH_KEY)",
                            "the key that hashes email addresses and external ids"));
            current = new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
            spec = current;
        }
        return current;
    }
}
