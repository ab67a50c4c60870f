package dev.contactfunctions.deferral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.testsupport.TestPseudonyms;

class DeferredDeliveryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant RECEIVED = Instant.parse("2026-03-01T10:15:30.123Z");
    /** The person's ledger identity, a pseudonym as the webhooks make it. */
    static final String IDENTITY = IdentityLedger.email(TestPseudonyms.LOCAL, "ada@example.com");

    static DeferredDelivery sample() {
        ObjectNode payload = JSON.createObjectNode().put("email", "ada@example.com").put("utm_source", "ads");
        return DeferredDelivery.first("lead-capture", payload, IDENTITY, "key-1", RECEIVED);
    }

    @Test
    void survivesTheQueueAsJsonUnchanged() throws Exception {
        DeferredDelivery delivery = sample();

        String json = delivery.toJson();

        assertThat(JSON.readTree(json)).isEqualTo(JSON.readTree("""
                {"route":"lead-capture","payload":{"email":"ada@example.com","utm_source":"ads"},
                 "identity":"%s","delivery_id":"key-1",
                 "first_received_at":"2026-03-01T10:15:30.123Z","attempt":1}""".formatted(IDENTITY)));
        assertThat(DeferredDelivery.fromJson(json)).isEqualTo(delivery);
    }

    @Test
    void aBodyThatIsNotADeferredDeliveryIsRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> DeferredDelivery.fromJson("<html>")).hasMessage("the message body is not JSON");
        assertThatThrownBy(() -> DeferredDelivery.fromJson("[1]")).hasMessage("the message body is not a JSON object");
        String json = sample().toJson();
        assertThatThrownBy(() -> DeferredDelivery.fromJson(json.replace("\"route\":\"lead-capture\",", "")))
                .hasMessage("route is missing or not a string");
        assertThatThrownBy(() -> DeferredDelivery.fromJson(json.replace("2026-03-01T10:15:30.123Z", "yesterday")))
                .hasMessage("first_received_at is not an ISO-8601 instant");
        assertThatThrownBy(() -> DeferredDelivery.fromJson(json.replace("\"attempt\":1", "\"attempt\":\"x\"")))
                .hasMessage("attempt is missing or not a number");
        assertThatThrownBy(() -> DeferredDelivery.fromJson(json.replace("\"attempt\":1", "\"attempt\":0")))
                .hasMessage("attempt must be at least 1");
    }

    @Test
    void itsLogFormShowsNoEmailAddress() {
        assertThat(sample().toString()).doesNotContain("ada@").doesNotContain("example.com")
                .contains("lead-capture").contains("key-1");
    }
}
