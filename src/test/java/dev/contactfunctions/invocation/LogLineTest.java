package dev.contactfunctions.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.testsupport.JsonLogCapture;

class LogLineTest {

    private static final Logger LOG = Logger.getLogger("dev.contactfunctions.invocation.LogLineTest");

    @Test
    void aPlainValueStaysAsIsAndAnyOtherIsOneQuotedValueOnOneLine() {
        assertThat(LogLine.quote("landing-7f3c2a9e-0001")).isEqualTo("landing-7f3c2a9e-0001");
        assertThat(LogLine.quote("/webhooks/identify")).isEqualTo("/webhooks/identify");
        assertThat(LogLine.quote("k-duration_ms=999999,outcome=forged"))
                .isEqualTo("\"k-duration_ms=999999,outcome=forged\"");
        assertThat(LogLine.quote("a\"b\\c\nd\re\tf\u001bg\u2028h")).isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u001bg\\u2028h\"");
        assertThat(LogLine.quote("")).isEqualTo("\"\"");
    }

    @Test
    void theMessageRepeatsTheFieldsWithTheirValuesQuoted() {
        LogLine line = LogLine.of("lead_capture").put("status", 200).put("delivery_id", "x outcome=forged")
                .put("ids", List.of("a", "b")).put("absent", null);

        assertThat(line.message()).isEqualTo("lead_capture status=200 delivery_id=\"x outcome=forged\" ids=a,b");
        assertThat(line.get("ids")).isEqualTo("a,b");
    }

    @Test
    void keysAreTheCodesOwnAndNeverTheInvocationsFields() {
        assertThatThrownBy(() -> LogLine.of("x").put("function", "forged")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLine.of("x").put("event", "forged")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLine.of("x").put("a=b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogLine.of("two words")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFieldsAreTheJsonLinesOwnForThatLineOnly() {
        MDC.put("status", "outer");
        try (JsonLogCapture capture = JsonLogCapture.of(LOG.getName())) {
            LogLine.of("lead_capture").put("status", 200).put("delivery_id", "x\n\"outcome\":\"forged\"").info(LOG);
            LOG.info("after");

            List<JsonNode> lines = capture.lines();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0).get("mdc").get("status").asText()).isEqualTo("200");
            assertThat(lines.get(0).get("mdc").get("event").asText()).isEqualTo("lead_capture");
            assertThat(lines.get(0).get("mdc").get("delivery_id").asText()).isEqualTo("x\n\"outcome\":\"forged\"");
            assertThat(JsonLogCapture.valuesNamed(lines.get(0), "outcome")).isEmpty();
            assertThat(lines.get(1).get("mdc").get("status").asText()).as("the context as it was").isEqualTo("outer");
            assertThat(lines.get(1).get("mdc").has("event")).isFalse();
        } finally {
            MDC.remove("status");
        }
    }
}
