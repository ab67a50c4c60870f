package dev.contactfunctions.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class LocalEventRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode httpEvent(String method, String path) throws IOException {
        return JSON.readTree("""
                {"version":"2.0","routeKey":"%1$s %2$s","rawPath":"%2$s","rawQueryString":"",
                 "headers":{"content-type":"application/json"},
                 "requestContext":{"accountId":"123456789012","apiId":"a1b2c3","domainName":"a1b2c3.execute-api.eu-west-1.amazonaws.com",
                   "http":{"method":"%1$s","path":"%2$s","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"curl/8.5.0"},
                   "requestId":"Jx1abc=","routeKey":"%1$s %2$s","stage":"$default","time":"10/Mar/2026:12:00:00 +0000","timeEpoch":1773144000000},
                 "body":"{}","isBase64Encoded":false}
                """.formatted(method, path));
    }

    @Test
    void httpApiEventsGoByPath() throws IOException {
        assertThat(LocalEventRoutes.route(httpEvent("POST", "/webhooks/leads")))
                .isEqualTo(new LocalEventRoutes.Route("lead-capture", "POST /webhooks/leads"));
        assertThat(LocalEventRoutes.route(httpEvent("POST", "/webhooks/identify")).handler()).isEqualTo("identify-merge");
        assertThat(LocalEventRoutes.route(httpEvent("POST", "/webhooks/intercom")).handler()).isEqualTo("identify-merge");
        assertThat(LocalEventRoutes.route(httpEvent("POST", "/prod/webhooks/leads")).handler()).isEqualTo("lead-capture");
    }

    @Test
    void aRouteKeyAloneIsEnough() throws IOException {
        JsonNode event = JSON.readTree("{\"version\":\"2.0\",\"routeKey\":\"POST /webhooks/identify\"}");

        assertThat(LocalEventRoutes.route(event).handler()).isEqualTo("identify-merge");
    }

    @Test
    void schedulerEventsGoToTheAudit() throws IOException {
        JsonNode event = JSON.readTree("{\"version\":\"0\",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.scheduler\","
                + "\"resources\":[\"arn:aws:scheduler:eu-west-1:123456789012:schedule/default/audit\"],\"detail\":{}}");

        assertThat(LocalEventRoutes.route(event).handler()).isEqualTo("segment-audit");
    }

    @Test
    void unknownPathsAndShapesGetAClearError() throws IOException {
        assertThatThrownBy(() -> LocalEventRoutes.route(httpEvent("GET", "/health")))
                .isInstanceOf(LocalEventRoutes.UnroutableEventException.class)
                .hasMessageContaining("GET /health").hasMessageContaining("/webhooks/leads");
        assertThatThrownBy(() -> LocalEventRoutes.route(JSON.readTree("{\"httpMethod\":\"POST\",\"path\":\"/webhooks/leads\"}")))
                .hasMessageContaining("payload 2.0");
        assertThatThrownBy(() -> LocalEventRoutes.route(JSON.readTree("{\"hello\":\"world\"}")))
                .hasMessageContaining("Scheduled Event").hasMessageContaining("infra/events");
        assertThatThrownBy(() -> LocalEventRoutes.route(JSON.readTree("[1,2]"))).hasMessageContaining("JSON object");
    }

    @Test
    void aDeferralQueueBatchGoesToTheFunctionOfItsDeliveriesRoute() throws IOException {
        String batch = """
                {"Records":[{"messageId":"m1","eventSource":"aws:sqs","body":"{\\"route\\":\\"%s\\"}"}]}""";

        assertThat(LocalEventRoutes.route(JSON.readTree(batch.formatted("lead-capture"))).handler())
                .isEqualTo("lead-capture");
        assertThat(LocalEventRoutes.route(JSON.readTree(batch.formatted("identify"))).handler())
                .isEqualTo("identify-merge");
        assertThat(LocalEventRoutes.route(JSON.readTree(batch.formatted("intercom-notification"))).handler())
                .isEqualTo("identify-merge");
        assertThatThrownBy(() -> LocalEventRoutes.route(JSON.readTree(batch.formatted("nowhere"))))
                .hasMessageContaining("nowhere").hasMessageContaining("lead-capture");
    }

    @Test
    void everySampleEventInInfraEventsReachesAFunction() throws IOException {
        Path events = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "infra", "events");
        List<Path> samples;
        try (Stream<Path> files = Files.list(events)) {
            samples = files.filter(p -> p.toString().endsWith(".json")).toList();
        }

        assertThat(samples).extracting(p -> p.getFileName().toString()).contains("segment-audit.json");
        for (Path sample : samples) {
            String handler = LocalEventRoutes.route(JSON.readTree(sample.toFile())).handler();
            assertThat(handler).as(sample.getFileName().toString())
                    .isIn("lead-capture", "identify-merge", LocalEventRoutes.SCHEDULE_HANDLER);
        }
        assertThat(LocalEventRoutes.route(JSON.readTree(events.resolve("segment-audit.json").toFile())).handler())
                .isEqualTo("segment-audit");
    }
}
