package dev.contactfunctions.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.leadcapture.FormToolEvents;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * The deployed artifact, {@code target/function.zip}, run as Lambda runs it: each function started from the unpacked
 * zip, fed real-shaped events through an emulated Lambda Runtime API, against the Intercom sandbox. By default the
 * JVM build runs under AWS's runtime interface client, as the managed {@code java21} runtime starts it;
 * {@code -Dfunction.launcher=native} runs a native build's {@code bootstrap} (the native workflow), and
 * {@code -Dfunction.launcher=bootstrap} the benchmark's minimal poll loop. Runs in {@code verify}, after
 * {@code package}.
 */
class PackagedFunctionsIT {

    private static final FunctionProcess.Launcher LAUNCHER = FunctionProcess.Launcher.fromProperty("runtime-client");

    private static IntercomSandbox sandbox;

    @BeforeAll
    static void intercom() {
        sandbox = IntercomSandbox.start(SandboxOptions.builder().rateLimit(BenchSandbox.UNLIMITED).build());
        sandbox.defineDataAttribute("company_size", "string"); // as the lead event has it
        sandbox.defineDataAttribute("plan", "string"); // as the identify event has it
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void leadCaptureCreatesTheLeadAndRefusesAnUnsignedRequest() throws Exception {
        String email = "packaged." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ObjectNode body = BenchEvents.body(BenchEvents.LEAD_CAPTURE).put("email", email);
        ObjectNode signed = BenchEvents.header(BenchEvents.signed(BenchEvents.LEAD_CAPTURE, body), "idempotency-key",
                "packaged-" + UUID.randomUUID());
        ObjectNode unsigned = signed.deepCopy();
        ((ObjectNode) unsigned.get("headers")).remove("x-signature");

        try (Running function = Running.start("lead-capture")) {
            JsonNode created = function.answer(signed.toString());
            JsonNode refused = function.answer(unsigned.toString());

            assertThat(created.get("statusCode").asInt()).as(created.toString()).isEqualTo(200);
            String contactId = BenchEvents.JSON.readTree(created.get("body").asText()).get("contact_id").asText();
            assertThat(sandbox.contactsWithEmail(email)).extracting(SandboxContact::id, SandboxContact::role)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(contactId, "lead"));
            assertThat(refused.get("statusCode").asInt()).as(refused.toString()).isEqualTo(401);
        }
    }

    @Test
    void leadCaptureTakesEachFormToolsOwnWebhookOnceAndAnswersItsRetryFromTheLedger() throws Exception {
        try (Running function = Running.start("lead-capture")) {
            for (String source : FormToolEvents.SOURCES) {
                String email = "packaged." + source + "." + UUID.randomUUID().toString().substring(0, 8)
                        + "@example.com";
                String event = FormToolEvents.event(source, email, "packaged-" + UUID.randomUUID());

                JsonNode created = function.answer(event);
                long callsBefore = sandbox.stats().total();
                JsonNode retried = function.answer(event);

                assertThat(created.get("statusCode").asInt()).as("%s: %s", source, created).isEqualTo(200);
                assertThat(retried.get("body").asText()).as(source).isEqualTo(created.get("body").asText());
                assertThat(sandbox.stats().total()).as("%s: the retry calls Intercom", source).isEqualTo(callsBefore);
                assertThat(sandbox.contactsWithEmail(email)).as(source).singleElement().satisfies(contact -> {
                    assertThat(contact.role()).isEqualTo("lead");
                    assertThat(contact.customAttributes()).containsKey("utm_source").containsKey("first_utm_source");
                });
            }
        }
    }

    @Test
    void identifyMergeCreatesTheUser() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = "packaged." + id + "@example.com";
        ObjectNode body = BenchEvents.body(BenchEvents.IDENTIFY).put("external_id", "packaged-" + id).put("email", email);

        try (Running function = Running.start("identify-merge")) {
            JsonNode answer = function.answer(BenchEvents.signed(BenchEvents.IDENTIFY, body).toString());

            assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
            assertThat(sandbox.contactsWithEmail(email)).singleElement().satisfies(contact -> {
                assertThat(contact.role()).isEqualTo("user");
                assertThat(contact.externalId()).isEqualTo("packaged-" + id);
            });
        }
    }

    @Test
    void segmentAuditRunsOnTheScheduleEvent() throws Exception {
        try (Running function = Running.start("segment-audit")) {
            JsonNode summary = function.answer(BenchEvents.event(BenchEvents.SCHEDULE).toString());

            assertThat(summary.isObject()).as(summary.toString()).isTrue();
            assertThat(summary.toString()).doesNotContain("errorType");
        }
    }

    /** One function started by {@link #LAUNCHER} on its own emulated Runtime API. */
    private record Running(LambdaRuntimeEmulator runtime, FunctionProcess process) implements AutoCloseable {

        static Running start(String handler) {
            LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
            Map<String, String> environment = FunctionProcess.againstSandbox(sandbox, "packaged-reports");
            return new Running(runtime, FunctionProcess.start(LAUNCHER, "packaged-" + handler + "-"
                    + LAUNCHER.name().toLowerCase(java.util.Locale.ROOT), handler, runtime, environment));
        }

        JsonNode answer(String event) throws Exception {
            LambdaRuntimeEmulator.Invocation invocation;
            try {
                invocation = runtime.invoke(event, Duration.ofSeconds(60)).get(3, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new AssertionError("no answer (" + LAUNCHER.label + "): " + e + "\n" + process.outputTail(), e);
            }
            assertThat(invocation.error()).as(invocation.body() + "\n" + process.outputTail()).isFalse();
            return BenchEvents.JSON.readTree(invocation.body());
        }

        @Override
        public void close() {
            process.close();
            runtime.close();
        }
    }
}
