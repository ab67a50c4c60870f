package dev.contactfunctions.invocation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.leadcapture.LeadCaptureProfile;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A direct invocation of a function with an event it cannot read (not JSON, a JSON array, a field of the
 * wrong type) answers a short error, type and message without a stack trace, and logs one line without the event.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
// nothing here reaches Intercom: the resource only lets this class share the lead-capture tests' start
@WithTestResource(IntercomWireMock.class)
class MalformedInvocationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    @Named("lead-capture")
    RequestStreamHandler leadCapture;
    @Inject
    @Named("identify-merge")
    RequestStreamHandler identifyMerge;
    @Inject
    @Named("segment-audit")
    RequestStreamHandler segmentAudit;

    @Test
    void throughTheLambdaRuntimeAnEventThatIsNotJsonGetsAShortError() throws Exception {
        String output = given().contentType("application/json").body("email=ada@example.com").when().post()
                .then().statusCode(200).extract().asString();

        JsonNode answer = JSON.readTree(output);
        assertThat(answer.fieldNames()).toIterable().containsExactly("errorType", "errorMessage");
        assertThat(answer.get("errorType").asText()).isEqualTo("MalformedEvent");
        assertThat(answer.get("errorMessage").asText()).startsWith("The event is not JSON (line 1, column ")
                .doesNotContain("ada@").doesNotContain("\tat ");
    }

    @Test
    void eachMalformedEventIsAnsweredWithItsReasonAndLoggedOnce() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.format(record.getMessage(), record.getParameters() == null ? new Object[0]
                        : record.getParameters()) + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(MalformedEvent.class.getName());
        logger.addHandler(capture);
        List<JsonNode> answers = new ArrayList<>();
        try {
            answers.add(HandlerCalls.invoke(leadCapture, "[1,2]"));
            answers.add(HandlerCalls.invoke(identifyMerge, "not json"));
            answers.add(HandlerCalls.invoke(identifyMerge, "{\"rawPath\":[\"grace@example.com\"]}"));
            answers.add(HandlerCalls.invoke(segmentAudit, "[{\"detail\":{}}]"));
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(answers).extracting(a -> a.get("errorType").asText()).containsOnly("MalformedEvent");
        assertThat(answers).extracting(a -> a.get("errorMessage").asText()).satisfiesExactly(
                m -> assertThat(m).startsWith("The event is a JSON array, not a JSON object"),
                m -> assertThat(m).startsWith("The event is not JSON (line 1, column "),
                m -> assertThat(m).isEqualTo("The event is not an API Gateway HTTP API event (at rawPath): invoke with the event AWS"
                        + " delivers (see infra/events)"),
                m -> assertThat(m).startsWith("The event is a JSON array, not a JSON object"));
        assertThat(answers).allSatisfy(a -> assertThat(a.size()).isEqualTo(2));
        assertThat(lines).satisfiesExactly(
                l -> assertThat(l).startsWith("malformed_event function=lead-capture reason=\"The event is a JSON array"),
                l -> assertThat(l).startsWith("malformed_event function=identify-merge reason=\"The event is not JSON"),
                l -> assertThat(l).startsWith("malformed_event function=identify-merge reason=\"The event is not an API"),
                l -> assertThat(l).startsWith("malformed_event function=segment-audit reason=\"The event is a JSON array"));
        assertThat(String.join("\n", lines)).doesNotContain("grace@");
    }
}
