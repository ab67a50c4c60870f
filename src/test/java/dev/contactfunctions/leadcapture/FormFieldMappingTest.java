package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.webhook.WebhookException;

/** From each vendor's sample to the lead: the defaults, a configured mapping, and the refusals naming the field. */
class FormFieldMappingTest {

    @Test
    void theDefaultsTakeTheTypedEmailAndPhoneANameFieldAndTheUtmHiddenFields() {
        LeadSubmission typeform = lead(FormSource.TYPEFORM, mapping(null, null, null));
        assertThat(typeform.email()).isEqualTo("laura@example.com");
        assertThat(typeform.attribution()).containsExactly(Map.entry("utm_source", "newsletter"),
                Map.entry("utm_medium", "email"), Map.entry("utm_campaign", "spring_launch"));
        assertThat(typeform.customAttributes()).isEmpty();
        assertThat(typeform.tags()).isEmpty();

        LeadSubmission tally = lead(FormSource.TALLY, mapping(null, null, null));
        assertThat(tally).extracting(LeadSubmission::email, LeadSubmission::name, LeadSubmission::phone)
                .containsExactly("alice.martin@example.com", "Alice Martin", "+32 470 12 34 56");

        LeadSubmission webflow = lead(FormSource.WEBFLOW, mapping(null, null, null));
        assertThat(webflow.email()).isEqualTo("zaphod@heartofgold.ai");
        assertThat(webflow.phone()).isNull();
    }

    @Test
    void aConfiguredMappingNamesFieldsForTheLeadCustomAttributesAndTags() {
        FormFieldMapping mapping = mapping(List.of("name=readable_ref_short_text", "custom_attributes.city_pictures"
                + "=readable_ref_picture_choice", "tags=readable_ref_picture_choice", "utm_term=user_id"),
                List.of("tags=Interests", "utm_source=Name"),
                List.of("name=First Name", "phone=Phone Number", "custom_attributes.last_name=Last Name"));

        LeadSubmission typeform = lead(FormSource.TYPEFORM, mapping);
        assertThat(typeform.name()).isEqualTo("Laura");
        assertThat(typeform.customAttributes()).containsExactly(Map.entry("city_pictures", "London, Sydney"));
        assertThat(typeform.tags()).containsExactly("London", "Sydney");
        assertThat(typeform.attribution()).containsEntry("utm_term", "abc123456");

        LeadSubmission tally = lead(FormSource.TALLY, mapping);
        assertThat(tally.tags()).as("option ids read as their text").containsExactly("Demo");
        assertThat(tally.attribution()).containsEntry("utm_source", "Alice Martin");

        LeadSubmission webflow = lead(FormSource.WEBFLOW, mapping);
        assertThat(webflow).extracting(LeadSubmission::name, LeadSubmission::phone)
                .containsExactly("Zaphod", "15550000000");
        assertThat(webflow.customAttributes()).containsExactly(Map.entry("last_name", "Beeblebrox"));
    }

    @Test
    void anEmailMappedToAFieldTheSubmissionLacksIsRefusedNamingTheField() {
        FormFieldMapping mapping = mapping(List.of("email=work_email"), null, null);

        assertThatThrownBy(() -> lead(FormSource.TYPEFORM, mapping)).isInstanceOfSatisfying(WebhookException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("missing_field");
                    assertThat(e.field()).isEqualTo("work_email");
                    assertThat(e.getMessage()).contains("LEAD_CAPTURE_TYPEFORM_FIELDS");
                });
    }

    @Test
    void aMappingToSomethingThatIsNotALeadFieldStopsTheFunction() {
        assertThatThrownBy(() -> mapping(List.of("plan=readable_ref_short_text"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lead-capture.typeform-fields")
                .hasMessageContaining("'plan=readable_ref_short_text'");
        assertThatThrownBy(() -> mapping(null, null, List.of("email"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LEAD_CAPTURE_WEBFLOW_FIELDS");
    }

    private static LeadSubmission lead(FormSource source, FormFieldMapping mapping) {
        try {
            ObjectNode event = (ObjectNode) LeadCaptureEvents.JSON.readTree(Path.of("infra/events/lead-capture-"
                    + source.wire() + ".json").toFile());
            ObjectNode body = (ObjectNode) LeadCaptureEvents.JSON.readTree(event.path("body").asText());
            return mapping.lead(source, FormToolPayload.read(source, body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FormFieldMapping mapping(List<String> typeform, List<String> tally, List<String> webflow) {
        LeadCaptureSettings defaults = LeadCaptureSettings.defaults();
        return new FormFieldMapping(new LeadCaptureConfig() {
            @Override
            public boolean createMissingAttributes() {
                return true;
            }

            @Override
            public Set<String> allowedAttributes() {
                return defaults.allowedAttributes();
            }

            @Override
            public Optional<Set<String>> allowedTags() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> typeformFields() {
                return Optional.ofNullable(typeform);
            }

            @Override
            public Optional<List<String>> tallyFields() {
                return Optional.ofNullable(tally);
            }

            @Override
            public Optional<List<String>> webflowFields() {
                return Optional.ofNullable(webflow);
            }
        });
    }
}
