package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.intercom.model.Contact;

class IdentifyMergeLogLineTest {

    @Test
    void theLineCarriesIdsAndCountsButNeverTheEmail() {
        Contact user = new Contact("u1", "user", "user-1", "Ada@Example.com", null, null, 1L, null, null, null, null,
                null);
        IdentifyMergeLogLine log = new IdentifyMergeLogLine("/webhooks/identify").email("ada@example.com", TestPseudonyms.LOCAL)
                .merge(new MergeResult(user, List.of("l1", "l2"), List.of("plan"),
                        List.of(new SkippedLead("l3", SkippedLead.Reason.GONE)), 0));

        String line = log.line(200, 42).message();

        assertThat(line).isEqualTo("identify_merge route=/webhooks/identify email_fp="
                + TestPseudonyms.LOCAL.emailFingerprint("ada@example.com")
                + " user_id=u1 merged=2 merged_lead_ids=l1,l2 attributes_copied=1 skipped=1 excess_leads=0"
                + " status=200 duration_ms=42");
        assertThat(line.toLowerCase()).doesNotContain("ada@example.com");
    }

    @Test
    void valuesCannotForgeFields() {
        LogLine line = new IdentifyMergeLogLine("/webhooks/intercom").put("topic", "ping status=500").line(200, 1);

        assertThat(line.get("status")).isEqualTo("200");
        assertThat(line.get("topic")).isEqualTo("ping status=500");
        assertThat(line.message()).contains("topic=\"ping status=500\"").endsWith("status=200 duration_ms=1");
    }
}
