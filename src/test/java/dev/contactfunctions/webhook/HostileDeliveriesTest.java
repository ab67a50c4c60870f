package dev.contactfunctions.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.contactfunctions.identity.IdentifyMergeHandler;
import dev.contactfunctions.leadcapture.LeadCaptureHandler;
import dev.contactfunctions.leadcapture.LeadCaptureProfile;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What an outsider can send: {@value #PER_ROUTE} generated hostile deliveries per route ({@link HostileDeliveries},
 * seeded), {@value #PER_FORM_TOOL} per form tool's route ({@link FormToolHostileDeliveries}), each into the deployed
 * handler of its function (in process, one application for all of them), with the
 * Intercom sandbox behind it. Every one must be refused with a 4xx naming its error, write nothing to Intercom and
 * log no ERROR line (the 5xx alarm's threshold is one). The seed is {@code -Dhostile.seed}, printed with each failure.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class HostileDeliveriesTest {

    static final int PER_ROUTE = 250;
    /** Each form tool's route: fewer, its kinds of hostility being fewer (the path after the mapping is the same). */
    static final int PER_FORM_TOOL = 60;
    private static final long SEED = Long.getLong("hostile.seed", 20_261_206L);

    @InjectSandbox
    IntercomSandbox sandbox;

    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Handler errorLines = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureErrorLines() {
        sandbox.faults().clear();
        Logger.getLogger("").addHandler(errorLines);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(errorLines);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HostileDeliveries.LEADS, HostileDeliveries.IDENTIFY, HostileDeliveries.INTERCOM,
            "/webhooks/leads/typeform", "/webhooks/leads/tally", "/webhooks/leads/webflow"})
    void everyHostileDeliveryIsRefusedWritesNothingAndLogsNoError(String route) {
        RequestStreamHandler handler = route.startsWith(HostileDeliveries.LEADS)
                ? Arc.container().instance(LeadCaptureHandler.class).get()
                : Arc.container().instance(IdentifyMergeHandler.class).get();
        List<HostileDeliveries.Delivery> deliveries = route.startsWith(HostileDeliveries.LEADS + "/")
                ? FormToolHostileDeliveries.generate(route.substring(route.lastIndexOf('/') + 1), SEED, PER_FORM_TOOL)
                : HostileDeliveries.generate(route, SEED, PER_ROUTE);
        SoftAssertions softly = new SoftAssertions();
        List<String> codes = new ArrayList<>();

        for (HostileDeliveries.Delivery delivery : deliveries) {
            int errorsBefore = errors.size();
            Map<Endpoint, Long> writesBefore = sandbox.stats().writes();
            WebhookAnswer answer = HandlerCalls.webhook(handler, delivery.event());
            String what = delivery + " (seed " + SEED + ")";
            softly.assertThat(answer.status()).as(what).isBetween(400, 499);
            softly.assertThat(answer.errorCode()).as(what).isNotBlank();
            softly.assertThat(errors.subList(errorsBefore, errors.size())).as("ERROR lines of %s", what)
                    .extracting(LogRecord::getMessage).isEmpty();
            softly.assertThat(sandbox.stats().writes()).as("Intercom writes after %s", what).isEqualTo(writesBefore);
            codes.add(answer.status() + " " + answer.errorCode());
        }

        System.out.printf("hostile_deliveries route=%s seed=%d deliveries=%d answers=%s%n", route, SEED,
                deliveries.size(), codes.stream().distinct().sorted().toList());
        assertThat(deliveries).hasSizeGreaterThanOrEqualTo(Math.min(PER_ROUTE, PER_FORM_TOOL));
        softly.assertAll();
    }

}
