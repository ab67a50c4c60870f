package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A deployment that sets nothing lets its forms write the attribution and nothing else, as documented. */
class FormPolicyDefaultsTest {

    @Test
    void byDefaultAFormMayWriteTheAttributionFieldsAndTheirFirstTouchCopiesAndAttachNoTag() throws IOException {
        LeadCaptureSettings defaults = LeadCaptureSettings.defaults();
        List<String> attribution = new ArrayList<>(LeadSubmission.ATTRIBUTION_FIELDS);
        LeadSubmission.ATTRIBUTION_FIELDS.forEach(field -> attribution.add(LeadSubmission.FIRST_TOUCH_PREFIX + field));

        assertThat(defaults.allowedAttributes()).containsExactlyInAnyOrderElementsOf(attribution);
        assertThat(defaults.allowedTags()).isEmpty();
        assertThat(Files.readString(Path.of("docs", "configuration.md")))
                .contains("| `LEAD_CAPTURE_ALLOWED_ATTRIBUTES` | `" + String.join(",", attribution) + "` |")
                .contains("| `LEAD_CAPTURE_ALLOWED_TAGS` | none |");
    }
}
