package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.Contact;

class AttributeCarryOverTest {

    @Test
    void firstTouchAttributesComeFromTheOldestLeadAndOthersFromTheNewest() {
        Contact older = lead("a", 100, Map.of("first_source", "google", "company_size", "11-50"));
        Contact newer = lead("b", 200, Map.of("first_source", "newsletter", "company_size", "51-200"));

        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user(Map.of()), List.of(newer, older), Set.of());

        assertThat(copy).containsExactly(Map.entry("company_size", "51-200"), Map.entry("first_source", "google"));
    }

    @Test
    void whatTheUserHasIsKept() {
        Contact lead = lead("a", 100, Map.of("first_source", "google", "plan", "trial"));

        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user(Map.of("plan", "pro")), List.of(lead), Set.of());

        assertThat(copy).containsExactly(Map.entry("first_source", "google"));
    }

    @Test
    void blankAndNullCountAsMissingOnBothSides() {
        Map<String, Object> userAttributes = new HashMap<>();
        userAttributes.put("first_source", null);
        userAttributes.put("company_size", " ");
        Map<String, Object> blankOnOldest = new HashMap<>();
        blankOnOldest.put("first_source", "");
        Contact oldest = lead("a", 100, blankOnOldest);
        Contact newer = lead("b", 200, Map.of("first_source", "ads", "company_size", "11-50"));

        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user(userAttributes), List.of(oldest, newer),
                Set.of());

        assertThat(copy).containsExactly(Map.entry("company_size", "11-50"), Map.entry("first_source", "ads"));
    }

    @Test
    void attributesTheEventWritesAnywayAreNotCopied() {
        Contact lead = lead("a", 100, Map.of("plan", "trial", "first_source", "google"));

        Map<String, Object> copy = AttributeCarryOver.missingOnUser(user(Map.of()), List.of(lead), Set.of("plan"));

        assertThat(copy).containsOnlyKeys("first_source");
    }

    @Test
    void nothingMissingGivesNothingToWrite() {
        assertThat(AttributeCarryOver.missingOnUser(user(Map.of("plan", "pro")),
                List.of(lead("a", 1, Map.of("plan", "trial"))), Set.of())).isEmpty();
    }

    private static Contact lead(String id, long createdAt, Map<String, Object> attributes) {
        return new Contact(id, "lead", null, "ada@example.com", null, null, createdAt, null, null, null, attributes, null);
    }

    private static Contact user(Map<String, Object> attributes) {
        return new Contact("u", "user", "user-1", "ada@example.com", null, null, 1L, null, null, null, attributes, null);
    }
}
