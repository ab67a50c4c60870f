package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.WebhookException;
import dev.contactfunctions.testsupport.TestPseudonyms;

class LeadSubmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void emailIsTrimmedAndLowerCasedAndEmptyValuesCountAsAbsent() throws Exception {
        LeadSubmission lead = LeadSubmission.from(json("""
                {"email":"  Ada.Lovelace@Example.COM ","name":"  ","phone":null,"utm_source":" google ",
                 "utm_medium":"","custom_attributes":{"plan":"pro","empty":"","nothing":null}}"""), false);

        assertThat(lead.email()).isEqualTo("ada.lovelace@example.com");
        assertThat(lead.name()).isNull();
        assertThat(lead.phone()).isNull();
        assertThat(lead.attribution()).containsExactly(Map.entry("utm_source", "google"));
        assertThat(lead.customAttributes()).containsExactly(Map.entry("plan", "pro"));
        assertThat(lead.tags()).isEmpty();
    }

    @Test
    void customAttributeScalarsKeepTheirJsonTypes() throws Exception {
        LeadSubmission lead = LeadSubmission.from(json("""
                {"email":"a@example.com","custom_attributes":{"seats":12,"ratio":0.25,"vip":true,"big":9007199254740993}}"""),
                false);

        assertThat(lead.customAttributes()).containsExactly(Map.entry("seats", 12L), Map.entry("ratio", 0.25),
                Map.entry("vip", true), Map.entry("big", 9007199254740993L));
    }

    @Test
    void theQueuedBodyReadsBackAsTheSameSubmissionWithTheSameFingerprint() throws Exception {
        LeadSubmission lead = LeadSubmission.from(json("""
                {"email":" Ada@Example.com","name":"Ada","phone":"+44 20 7946 0018","referrer":"https://g.co/",
                 "utm_source":"google","custom_attributes":{"seats":12,"ratio":1.0,"vip":false,"plan":"pro"},
                 "tags":"demo, newsletter"}"""), true);

        LeadSubmission again = LeadSubmission.from(JSON.readValue(JSON.writeValueAsString(lead.toBody()),
                ObjectNode.class), false);

        assertThat(again).isEqualTo(lead);
        assertThat(again.customAttributes()).containsExactly(Map.entry("seats", 12L), Map.entry("ratio", 1.0),
                Map.entry("vip", false), Map.entry("plan", "pro"));
        assertThat(LeadCaptureDeliveries.requestFingerprint(again, TestPseudonyms.LOCAL))
                .isEqualTo(LeadCaptureDeliveries.requestFingerprint(lead, TestPseudonyms.LOCAL));
    }

    @Test
    void formTagsMayBeACommaListOrRepeatedAndDuplicatesAreDroppedWhateverTheirCase() throws Exception {
        LeadSubmission lead = LeadSubmission.from(json("""
                {"email":"a@example.com","tags":["demo, Newsletter","newsletter"," vip "]}"""), true);

        assertThat(lead.tags()).containsExactly("demo", "Newsletter", "vip");
    }

    @Test
    void jsonTagNamesAreTakenWholeSoACommaStaysInTheName() throws Exception {
        LeadSubmission lead = LeadSubmission.from(json("""
                {"email":"a@example.com","tags":["Smith, Jones & Co"]}"""), false);

        assertThat(lead.tags()).containsExactly("Smith, Jones & Co");
    }

    @Test
    void integerOutsideTheLongRangeIsRefused() {
        assertThatThrownBy(() -> LeadSubmission.from(json("""
                {"email":"a@example.com","custom_attributes":{"n":99999999999999999999}}"""), false))
                .isInstanceOfSatisfying(WebhookException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_type");
                    assertThat(e.field()).isEqualTo("custom_attributes.n");
                });
    }

    @Test
    void fiftyOneCustomAttributesAreTooMany() {
        ObjectNode body = JSON.createObjectNode().put("email", "a@example.com");
        ObjectNode attributes = body.putObject("custom_attributes");
        for (int i = 0; i <= LeadSubmission.MAX_CUSTOM_ATTRIBUTES; i++) {
            attributes.put("a" + i, i);
        }

        assertThatThrownBy(() -> LeadSubmission.from(body, false))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.code()).isEqualTo("too_many_attributes"));
    }

    @Test
    void attributeNamesMayHoldSpacesUnderscoresAndHyphensButNotEdgeSpacesOrPunctuation() throws Exception {
        assertThat(LeadSubmission.from(json("""
                {"email":"a@example.com","custom_attributes":{"The One Ring":"yes","plan_tier-2":"x"}}"""), false)
                .customAttributes()).containsKeys("The One Ring", "plan_tier-2");
        for (String bad : new String[] { " plan", "plan$", "pl@n", "a.b", "" }) {
            ObjectNode body = JSON.createObjectNode().put("email", "a@example.com");
            body.putObject("custom_attributes").put(bad, "x");
            assertThatThrownBy(() -> LeadSubmission.from(body, false)).as(bad)
                    .isInstanceOfSatisfying(WebhookException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid_attribute_name"));
        }
    }

    @Test
    void formValuesAreConvertedToTheTypeOfTheirWorkspaceAttribute() {
        assertThat(CustomAttributeCatalog.convert("12", "integer", "seats")).isEqualTo(12L);
        assertThat(CustomAttributeCatalog.convert("2.5", "float", "ratio")).isEqualTo(2.5);
        assertThat(CustomAttributeCatalog.convert("TRUE", "boolean", "vip")).isEqualTo(true);
        assertThat(CustomAttributeCatalog.convert("2026-03-10", "date", "trial_ends")).isEqualTo(1773100800L);
        assertThat(CustomAttributeCatalog.convert("2026-03-10T12:00:00Z", "date", "trial_ends")).isEqualTo(1773144000L);
        assertThat(CustomAttributeCatalog.convert(12L, "string", "code")).isEqualTo("12");
        assertThat(CustomAttributeCatalog.convert(2.5, "string", "code")).isEqualTo("2.5");
        assertThatThrownBy(() -> CustomAttributeCatalog.convert("12.5", "integer", "seats"))
                .isInstanceOfSatisfying(WebhookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("custom_attributes.seats");
                });
        assertThatThrownBy(() -> CustomAttributeCatalog.convert("soon", "date", "utm_source"))
                .isInstanceOfSatisfying(WebhookException.class, e -> assertThat(e.field()).isEqualTo("utm_source"));
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }
}
