package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LocalDispatcherTest {

    private static final ObjectMapper MAPPER = LocalRouter.mapper();

    static class LeadHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(202)
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody("{\"path\":\"" + event.getRawPath() + "\",\"method\":\""
                            + event.getRequestContext().getHttp().getMethod() + "\"}")
                    .build();
        }
    }

    static class AuditHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
            return Map.of("source", event.getSource(), "resources", event.getResources(),
                    "year", event.getTime().getYear());
        }
    }

    abstract static class BaseHttpHandler<I> implements RequestHandler<I, String> {
    }

    static class InheritedHandler extends BaseHttpHandler<APIGatewayV2HTTPEvent> {
        @Override
        public String handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            return event.getRawPath();
        }
    }

    static class EchoStreamHandler implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            output.write(input.readAllBytes());
        }
    }

    private static String dispatch(Map<String, Object> handlers, String event) throws IOException {
        LocalDispatcher dispatcher = new LocalDispatcher(
                name -> Optional.ofNullable(handlers.get(name)).map(h -> new LocalDispatcher.Target(h, h.getClass())),
                () -> handlers.keySet().stream().sorted().toList(), MAPPER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dispatcher.dispatch(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anHttpEventReachesItsHandlerAsAnApiGatewayV2Event() throws IOException {
        String answer = dispatch(Map.of("lead-capture", new LeadHandler()),
                LocalEventRoutesTest.httpEvent("POST", "/webhooks/leads").toString());

        JsonNode response = MAPPER.readTree(answer);
        assertThat(response.get("statusCode").asInt()).isEqualTo(202);
        assertThat(MAPPER.readTree(response.get("body").asText()).get("path").asText()).isEqualTo("/webhooks/leads");
        assertThat(MAPPER.readTree(response.get("body").asText()).get("method").asText()).isEqualTo("POST");
    }

    @Test
    void aScheduledEventReachesTheAuditAsAScheduledEvent() throws IOException {
        String answer = dispatch(Map.of("segment-audit", new AuditHandler()), """
                {"version":"0","id":"e1","detail-type":"Scheduled Event","source":"aws.scheduler","account":"123456789012",
                 "time":"2026-03-10T06:00:00Z","region":"eu-west-1","resources":["arn:aws:scheduler:eu-west-1:123456789012:schedule/default/a"],
                 "detail":{}}
                """);

        JsonNode result = MAPPER.readTree(answer);
        assertThat(result.get("source").asText()).isEqualTo("aws.scheduler");
        assertThat(result.get("year").asInt()).isEqualTo(2026);
        assertThat(result.get("resources").get(0).asText()).endsWith("schedule/default/a");
    }

    @Test
    void theInputTypeIsFoundThroughAGenericParentClass() throws IOException {
        assertThat(LocalDispatcher.inputType(InheritedHandler.class)).isEqualTo(APIGatewayV2HTTPEvent.class);
        assertThat(LocalDispatcher.inputType(LeadHandler.class)).isEqualTo(APIGatewayV2HTTPEvent.class);
        assertThat(LocalDispatcher.inputType(AuditHandler.class)).isEqualTo(ScheduledEvent.class);
        assertThat(dispatch(Map.of("identify-merge", new InheritedHandler()),
                LocalEventRoutesTest.httpEvent("POST", "/webhooks/identify").toString()))
                .isEqualTo("\"/webhooks/identify\"");
    }

    @Test
    void aStreamHandlerGetsTheRawBytes() throws IOException {
        String event = LocalEventRoutesTest.httpEvent("POST", "/webhooks/intercom").toString();

        assertThat(dispatch(Map.of("identify-merge", new EchoStreamHandler()), event)).isEqualTo(event);
    }

    @Test
    void aMissingHandlerIsNamedWithTheHandlersThatExist() {
        assertThatThrownBy(() -> dispatch(Map.of("segment-audit", new AuditHandler()),
                LocalEventRoutesTest.httpEvent("POST", "/webhooks/leads").toString()))
                .isInstanceOf(LocalDispatcher.HandlerNotAvailableException.class)
                .hasMessage("Handler 'lead-capture' is not available in this build (it serves POST /webhooks/leads);"
                        + " handlers present: [segment-audit]");
    }

    @Test
    void anEventThatIsNotJsonIsRefusedClearly() {
        assertThatThrownBy(() -> dispatch(Map.of(), "lead=1"))
                .isInstanceOf(LocalEventRoutes.UnroutableEventException.class).hasMessageStartingWith("The event is not JSON");
    }
}
