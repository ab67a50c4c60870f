package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.contactfunctions.testsupport.AdvancingClock;
import dev.contactfunctions.testsupport.FakeSecretsManager;
import dev.contactfunctions.testsupport.FakeSecretsManagerResource;
import dev.contactfunctions.testsupport.FastRetries;
import dev.contactfunctions.testsupport.InjectSecretsManager;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.IntercomWireMock;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Rotating the Intercom token and the webhook signing secret in Secrets Manager while lead-capture runs, as deployed
 * (both secrets as ARNs, read through the AWS SDK from a local Secrets Manager, the default 5-minute TTL), on a clock
 * the test moves forward: no deploy and no new instance, the rotated values are used once the TTL has passed, and the
 * signing secret's comma list accepts both secrets during the overlap.
 */
@QuarkusTest
@TestProfile(LeadCaptureSecretRotationTest.SecretsFromSecretsManager.class)
@WithTestResource(IntercomWireMock.class)
@WithTestResource(FakeSecretsManagerResource.class)
class LeadCaptureSecretRotationTest extends LeadCaptureOverWireMock {

    private static final String OLD_SECRET = FakeSecretsManagerResource.SIGNING_SECRET;
    private static final String NEW_SECRET = "rotated-signing-secret";
    private static final String NEW_TOKEN = "rotated-token";

    @InjectSecretsManager
    FakeSecretsManager secretsManager;

    @Inject
    AdvancingClock clock;

    @Test
    void aRotatedTokenAndSigningSecretAreUsedAfterTheTtlWithBothSecretsAcceptedDuringTheOverlap() {
        IntercomStubs.stubWorkspace(wireMock);
        IntercomStubs.stubTagging(wireMock, "6650c3");
        assertThat(post(OLD_SECRET)).as("before the rotation").isEqualTo(200);
        assertThat(tokensSent()).containsOnly(IntercomWireMock.TOKEN);

        // the rotation: a new token, and the new signing secret stored beside the old one
        secretsManager.put(FakeSecretsManagerResource.TOKEN_ARN, "{\"access_token\":\"" + NEW_TOKEN + "\"}");
        secretsManager.put(FakeSecretsManagerResource.SIGNING_ARN, NEW_SECRET + "," + OLD_SECRET);
        secretsManager.clearReads();
        wireMock.resetRequests();

        clock.advance(Duration.ofMinutes(3));
        assertThat(post(NEW_SECRET)).as("within the TTL the instance still has the old secret alone").isEqualTo(401);
        assertThat(post(OLD_SECRET)).isEqualTo(200);
        assertThat(tokensSent()).as("within the TTL").containsOnly(IntercomWireMock.TOKEN);
        assertThat(secretsManager.reads()).as("no read within the TTL").isEmpty();

        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        wireMock.resetRequests();
        assertThat(post(NEW_SECRET)).as("signed with the new secret, after the TTL").isEqualTo(200);
        assertThat(post(OLD_SECRET)).as("signed with the old one, during the overlap").isEqualTo(200);
        assertThat(tokensSent()).as("after the TTL").containsOnly(NEW_TOKEN);
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts"))
                .withHeader("Authorization", equalTo("Bearer " + NEW_TOKEN)));
        assertThat(secretsManager.reads()).as("each secret read once more, not once per request; the privacy hash"
                + " key never again")
                .containsExactlyInAnyOrder(FakeSecretsManagerResource.TOKEN_ARN, FakeSecretsManagerResource.SIGNING_ARN);

        // the overlap ends: the new secret alone
        secretsManager.put(FakeSecretsManagerResource.SIGNING_ARN, NEW_SECRET);
        clock.advance(Duration.ofMinutes(5));
        assertThat(post(OLD_SECRET)).as("the old secret, once the overlap has ended").isEqualTo(401);
        assertThat(post(NEW_SECRET)).isEqualTo(200);
    }

    /** Posts a new lead signed now (on the application's clock) with {@code secret}; the answer's status. */
    private int post(String secret) {
        String email = LeadCaptureEvents.uniqueEmail("rotation");
        IntercomStubs.stubCreate(wireMock, contact("6650c3", "lead", email, clock.instant().getEpochSecond()));
        WebhookAnswer answer = LeadCaptureEvents.json().email(email).idempotencyKey(UUID.randomUUID().toString())
                .signedWith(secret).signedAt(clock.instant()).post();
        return answer.status();
    }

    /** The distinct bearer tokens of the requests Intercom received since the last reset. */
    private Set<String> tokensSent() {
        List<LoggedRequest> requests = wireMock.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
        assertThat(requests).as("requests to Intercom").isNotEmpty();
        return Set.copyOf(requests.stream().map(r -> r.getHeader("Authorization").replaceFirst("^Bearer ", ""))
                .toList());
    }

    /** Lead-capture as deployed: its token and signing secret from Secrets Manager, on a clock the test moves. */
    public static class SecretsFromSecretsManager implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return FastRetries.with(Map.of("quarkus.lambda.handler", "lead-capture"));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(AdvancingClock.class);
        }
    }
}
