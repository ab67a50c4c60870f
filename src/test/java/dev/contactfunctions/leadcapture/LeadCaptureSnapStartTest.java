package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.snapstart.SnapStartPriming;
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
import jakarta.inject.Inject;

/**
 * The lead-capture function as Lambda initializes it for a SnapStart snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=
 * snap-start}, its token and webhook key read through the AWS SDK from a local Secrets Manager): SnapStart's hooks,
 * driven here as Lambda drives them,
 * warm the function before the snapshot without a single call to Intercom or AWS, so that no token, key or
 * connection is in the snapshot for every restored copy to share; after the restore the token is read with the
 * instance's own credentials and the function captures a lead.
 */
@QuarkusTest
@TestProfile(LeadCaptureSnapStartTest.SnapshotInitialization.class)
@WithTestResource(IntercomWireMock.class)
@WithTestResource(FakeSecretsManagerResource.class)
class LeadCaptureSnapStartTest extends LeadCaptureOverWireMock {

    @Inject
    SnapStartPriming priming;

    @InjectSecretsManager
    FakeSecretsManager secrets;

    @Test
    void primingBeforeTheSnapshotCallsNobodyAndTheRestoredFunctionCapturesALead() throws Exception {
        assertThat(secrets.reads()).as("nothing read while Quarkus started for the snapshot").isEmpty();

        priming.beforeCheckpoint(null);

        assertThat(wireMock.getAllServeEvents()).as("calls to Intercom before the snapshot").isEmpty();
        assertThat(secrets.reads()).as("secrets read before the snapshot").isEmpty();

        priming.afterRestore(null);

        assertThat(secrets.reads()).as("the restore reads the token").containsExactly(FakeSecretsManagerResource.TOKEN_ARN);
        assertThat(wireMock.getAllServeEvents()).isEmpty();

        IntercomStubs.stubWorkspace(wireMock);
        IntercomStubs.stubCreate(wireMock, contact("6650c3", "lead", "ada.lovelace@example.com", 1773144000));
        IntercomStubs.stubTagging(wireMock, "6650c3");
        WebhookAnswer answer = LeadCaptureEvents.json().post();

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        assertThat(answer.body().path("contact_id").asText()).isEqualTo("6650c3");
        wireMock.verify(postRequestedFor(urlPathEqualTo("/contacts"))
                .withHeader("Authorization", equalTo("Bearer " + IntercomWireMock.TOKEN)));
        assertThat(secrets.reads()).as("the webhook key and the privacy key are read by the first request")
                .containsExactly(FakeSecretsManagerResource.TOKEN_ARN, FakeSecretsManagerResource.SIGNING_ARN,
                        FakeSecretsManagerResource.PRIVACY_ARN);
    }

    /** Lambda initializing lead-capture for a snapshot, its token and webhook key as Secrets Manager ARNs. */
    public static class SnapshotInitialization implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return FastRetries.with(Map.of(
                    "quarkus.lambda.handler", "lead-capture",
                    "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start"));
        }
    }
}
