package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.contactfunctions.testsupport.TestPseudonyms;

class IdentifyRequestTest {

    @Test
    void theCommittedEventReadsWithItsEmailNormalized() {
        IdentifyRequest request = IdentifyRequest.from(LambdaEvents.body(LambdaEvents.IDENTIFY));

        assertThat(request).isEqualTo(new IdentifyRequest("user-1001", "ada@example.com", "Ada Lovelace",
                null, 1_773_147_600L, Map.of("plan", "enterprise"), null));
    }

    @Test
    void theQueuedBodyReadsBackAsTheSameRequestWithTheSameFingerprint() {
        ObjectNode body = LambdaEvents.JSON.createObjectNode().put("external_id", "u-1").put("email", " Ada@Example.com")
                .put("name", "Ada").put("phone", "+44 20 7946 0018").put("signed_up_at", 1_773_147_600L)
                .put("lead_id", "65f0");
        body.putObject("custom_attributes").put("seats", 12).put("score", 1.0).put("beta", false).put("plan", "pro");
        IdentifyRequest request = IdentifyRequest.from(body);

        IdentifyRequest again = IdentifyRequest.from(request.toBody().deepCopy());

        assertThat(again).isEqualTo(request);
        assertThat(IdentifyEndpoint.fingerprint(again, TestPseudonyms.LOCAL))
                .isEqualTo(IdentifyEndpoint.fingerprint(request, TestPseudonyms.LOCAL));
    }

    @Test
    void scalarAttributesKeepTheirJsonKind() {
        ObjectNode body = LambdaEvents.JSON.createObjectNode().put("external_id", "u-1").put("lead_id", "65f0");
        body.putObject("custom_attributes").put("seats", 12).put("score", 4.5).put("beta", true).put("plan", "pro");

        IdentifyRequest request = IdentifyRequest.from(body);

        assertThat(request.customAttributes()).containsExactly(Map.entry("seats", 12L), Map.entry("score", 4.5),
                Map.entry("beta", true), Map.entry("plan", "pro"));
        assertThat(request.leadIdOptional()).contains("65f0");
        assertThat(request.emailOptional()).isEmpty();
    }
}
