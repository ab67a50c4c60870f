package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static dev.contactfunctions.audit.TestContacts.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.contactfunctions.audit.ContactChecks.TagPresence;
import dev.contactfunctions.intercom.model.Contact;

class ContactChecksTest {

    @Test
    void aRequiredAttributeIsMissingWhenAbsentNullOrBlank() {
        Contact contact = user("u1", "u@example.com").name(" ").attribute("plan", "gold").attribute("seats", "")
                .attribute("region", null).attribute("count", 0).attribute("active", false).build();

        assertThat(ContactChecks.missingAttributes(contact,
                List.of("plan", "custom_attributes.plan", "seats", "region", "owner", "count", "active", "name", "email",
                        "external_id", "phone", "custom_attributes.email")))
                .containsExactly("seats", "region", "owner", "name", "phone", "custom_attributes.email");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "someone@example.com|",
            "  Someone@Example.COM |",
            "not-an-email|no @",
            "a@b@example.com|more than one @",
            "@example.com|nothing before the @",
            "someone@localhost|domain without a dot-separated name",
            "someone@.com|domain without a dot-separated name",
            "some one@example.com|contains whitespace",
            "<script>@example.com|a character mail servers refuse unquoted (< > ( ) [ ] , ; : \\ \" or a control)",
            "josé@exämple.de|"})
    void explainsWhyAnEmailIsInvalid(String email, String reason) {
        assertThat(ContactChecks.emailProblem(email)).isEqualTo(java.util.Optional.ofNullable(reason));
    }

    @Test
    void anAbsentEmailIsNotInvalid() {
        assertThat(ContactChecks.emailProblem(null)).isEmpty();
        assertThat(ContactChecks.emailProblem("  ")).isEmpty();
        assertThat(ContactChecks.emailProblem("x".repeat(250) + "@example.com")).contains("longer than 254 characters");
    }

    @Test
    void aLeadIsInactiveWhenLastSeenOrElseCreatedBeforeTheCutoff() {
        Instant cutoff = NOW.minus(Duration.ofDays(90));

        assertThat(ContactChecks.isInactiveLead(lead("l1", null).lastSeenDaysAgo(91).build(), cutoff)).isTrue();
        assertThat(ContactChecks.isInactiveLead(lead("l2", null).lastSeenDaysAgo(89).build(), cutoff)).isFalse();
        assertThat(ContactChecks.isInactiveLead(lead("l3", null).neverSeen(100).build(), cutoff)).isTrue();
        assertThat(ContactChecks.isInactiveLead(lead("l4", null).neverSeen(5).build(), cutoff)).isFalse();
        assertThat(ContactChecks.isInactiveLead(user("u1", null).lastSeenDaysAgo(500).build(), cutoff)).isFalse();
        Contact unknown = new Contact("l5", "lead", null, null, null, null, null, null, null, null, Map.of(), null);
        assertThat(ContactChecks.isInactiveLead(unknown, cutoff)).isFalse();
    }

    @Test
    void aTagIsUnknownWhenIntercomListedOnlyPartOfTheContactsTags() {
        Contact tagged = user("u1", null).tags("1", "2").build();
        Contact partial = new Contact("u2", "user", null, null, null, null, null, null, null, null, Map.of(),
                new Contact.TagRefs(List.of(new Contact.TagRef("1", null)), 11, true));
        Contact none = new Contact("u3", "user", null, null, null, null, null, null, null, null, Map.of(), null);

        assertThat(ContactChecks.tagPresence(tagged, "2")).isEqualTo(TagPresence.YES);
        assertThat(ContactChecks.tagPresence(tagged, "3")).isEqualTo(TagPresence.NO);
        assertThat(ContactChecks.tagPresence(partial, "1")).isEqualTo(TagPresence.YES);
        assertThat(ContactChecks.tagPresence(partial, "3")).isEqualTo(TagPresence.UNKNOWN);
        assertThat(ContactChecks.tagPresence(none, "3")).isEqualTo(TagPresence.NO);
    }
}
