package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.contactfunctions.webhook.WebhookException;

/** How a form's text becomes the value of its attribute's type, and what it refuses before Intercom sees it. */
class CustomAttributeCatalogTest {

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e999", "-1e309"})
    void aFloatAttributeRefusesWhatNoNumberHolds(String text) {
        assertThatThrownBy(() -> CustomAttributeCatalog.convert(text, "float", "score"))
                .isInstanceOfSatisfying(WebhookException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_type");
                    assertThat(e.field()).isEqualTo("custom_attributes.score");
                });
    }

    @Test
    void aFloatAttributeTakesAFiniteNumber() {
        assertThat(CustomAttributeCatalog.convert("2.5", "float", "score")).isEqualTo(2.5);
        assertThat(CustomAttributeCatalog.convert(3L, "float", "score")).isEqualTo(3.0);
    }
}
