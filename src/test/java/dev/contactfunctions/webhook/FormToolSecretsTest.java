package dev.contactfunctions.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.invocation.NotConfiguredException;
import dev.contactfunctions.invocation.Secrets;
import dev.contactfunctions.testsupport.FakeSecretsManager;

/**
 * The form tools' keys: each source's own, read from Secrets Manager and rotated like the other webhook secrets; a
 * source without one is not configured, naming its setting; Webflow signed or, weaker, by the URL's token.
 */
class FormToolSecretsTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:typeform-AbCdEf";
    private static final byte[] BODY = "{\"event_type\":\"form_response\"}".getBytes(StandardCharsets.UTF_8);

    private final FakeSecretsManager secretsManager = FakeSecretsManager.start();
    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-10T12:00:00Z"));
    private final Secrets secrets = new Secrets(Optional.of(secretsManager.endpoint()), Duration.ofMinutes(5),
            Duration.ofHours(1), clock);

    @AfterEach
    void stop() {
        secretsManager.close();
    }

    @Test
    void aRotatedTypeformSecretIsUsedAfterTheTtlBothKeysMeanwhile() {
        secretsManager.put(ARN, "old-key");
        FormToolSecrets keys = keys(Optional.of(ARN), null, null, null);
        keys.verifyTypeform(request("Typeform-Signature", FormToolSignatures.signTypeform("old-key", BODY)));

        secretsManager.put(ARN, "new-key,old-key");
        clock.advance(Duration.ofMinutes(5));
        keys.verifyTypeform(request("Typeform-Signature", FormToolSignatures.signTypeform("new-key", BODY)));
        keys.verifyTypeform(request("Typeform-Signature", FormToolSignatures.signTypeform("old-key", BODY)));

        secretsManager.put(ARN, "new-key");
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> keys.verifyTypeform(request("Typeform-Signature",
                FormToolSignatures.signTypeform("old-key", BODY)))).isInstanceOfSatisfying(WebhookException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    }

    @Test
    void aSourceWithoutItsKeyIsNotConfiguredNamingIt() {
        FormToolSecrets keys = keys(Optional.empty(), null, null, null);

        assertThatThrownBy(() -> keys.verifyTypeform(request("Typeform-Signature", "sha256=x")))
                .isInstanceOf(NotConfiguredException.class)
                .hasMessageContaining("TYPEFORM_SIGNING_SECRET_ARN (or TYPEFORM_SIGNING_SECRET)");
        assertThatThrownBy(() -> keys.verifyTally(request("Tally-Signature", "x")))
                .isInstanceOf(NotConfiguredException.class).hasMessageContaining("TALLY_SIGNING_SECRET_ARN");
        assertThatThrownBy(() -> keys.verifyWebflow(request("x-webflow-signature", "00")))
                .isInstanceOf(NotConfiguredException.class).hasMessageContaining("WEBFLOW_SIGNING_SECRET_ARN");
        assertThatThrownBy(() -> keys.verifyWebflow(request(null, null)))
                .isInstanceOf(NotConfiguredException.class)
                .hasMessageContaining("WEBFLOW_SIGNING_SECRET_ARN").hasMessageContaining("WEBFLOW_URL_TOKEN_ARN");
    }

    @Test
    void tallyIsSignedWithItsOwnKeyAsBase64() {
        FormToolSecrets keys = keys(Optional.empty(), "tally-key", null, null);

        assertThatCode(() -> keys.verifyTally(request("Tally-Signature", FormToolSignatures.signTally("tally-key",
                BODY)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> keys.verifyTally(request("Tally-Signature", FormToolSignatures.signTypeform(
                "tally-key", BODY)))).isInstanceOfSatisfying(WebhookException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_signature"));
    }

    @Test
    void webflowUnsignedNeedsTheUrlTokenAndSignedNeedsTheClientSecret() {
        FormToolSecrets onlySigned = keys(Optional.empty(), null, "client-secret", null);
        assertThatThrownBy(() -> onlySigned.verifyWebflow(request(null, null)))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.code())
                        .isEqualTo("missing_signature"));

        FormToolSecrets onlyToken = keys(Optional.empty(), null, null, "url-token");
        assertThatCode(() -> onlyToken.verifyWebflow(withQuery("token", "url-token"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> onlyToken.verifyWebflow(withQuery("token", "url-tokeN")))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.code()).isEqualTo("invalid_token"));
        long now = clock.millis();
        assertThatThrownBy(() -> onlyToken.verifyWebflow(signedWebflow("client-secret", now)))
                .as("a signed delivery is never let in by the token alone")
                .isInstanceOf(NotConfiguredException.class);

        FormToolSecrets both = keys(Optional.empty(), null, "client-secret", "url-token");
        assertThatCode(() -> both.verifyWebflow(signedWebflow("client-secret", now))).doesNotThrowAnyException();
        assertThatThrownBy(() -> both.verifyWebflow(signedWebflow("client-secret", now - 301_000)))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.code())
                        .isEqualTo("stale_signature"));
    }

    private FormToolSecrets keys(Optional<String> typeformArn, String tally, String webflow, String urlToken) {
        return new FormToolSecrets(Optional.empty(), typeformArn, Optional.ofNullable(tally), Optional.empty(),
                Optional.ofNullable(webflow), Optional.empty(), Optional.ofNullable(urlToken), Optional.empty(),
                Duration.ofMinutes(5), secrets, clock);
    }

    private WebhookRequest signedWebflow(String key, long millis) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("x-webflow-timestamp", Long.toString(millis));
        headers.put("x-webflow-signature", FormToolSignatures.signWebflow(key, millis, BODY));
        return new WebhookRequest("POST", "/webhooks/leads/webflow", headers, BODY, null, Map.of());
    }

    private static WebhookRequest request(String header, String value) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (header != null) {
            headers.put(header, value);
        }
        return new WebhookRequest("POST", "/webhooks/leads", headers, BODY, null, Map.of());
    }

    private static WebhookRequest withQuery(String name, String value) {
        return new WebhookRequest("POST", "/webhooks/leads/webflow", new TreeMap<>(), BODY, null,
                Map.of(name, value));
    }
}
