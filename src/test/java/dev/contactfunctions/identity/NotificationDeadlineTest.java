package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.WebhookAnswer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Intercom gives a notification 5 seconds. With the timeouts template.yaml deploys (not the tests' fast ones), a slow
 * Intercom must not make the answer late: a call that starts near the end of the budget is cut to what is left
 * instead of running its full read timeout.
 */
@QuarkusTest
@TestProfile(ProductionTimeoutsProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class NotificationDeadlineTest {

    private static final Duration INTERCOM_GIVES_UP = Duration.ofSeconds(5);

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    InMemoryDeferralQueue queue;
    @Inject
    IdentifyMergeConfig config;

    @BeforeEach
    void slowIntercom() {
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.setLatency(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        queue.clear();
    }

    @Test
    void aSlowIntercomDoesNotMakeTheNotificationsAnswerLate() {
        assertThat(ProductionTimeoutsProfile.DEPLOYED).containsKey("INTERCOM_READ_TIMEOUT_MS");
        String email = "ada." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String userId = sandbox.addContact(SeedContact.user("user-" + UUID.randomUUID(), email));
        sandbox.addContact(SeedContact.lead(email));
        // the search answers just within its read timeout; the merge then starts with almost nothing left
        Duration readTimeout = Duration.ofMillis(
                Long.parseLong(ProductionTimeoutsProfile.DEPLOYED.get("INTERCOM_READ_TIMEOUT_MS")));
        sandbox.faults().next(1, Endpoint.SEARCH_CONTACTS, Fault.delay(readTimeout.minusMillis(100)))
                .next(1, Endpoint.MERGE_CONTACTS, Fault.delay(readTimeout.plusSeconds(1)));

        // a warm instance, as Intercom's notifications meet: a topic the function ignores makes no call
        ObjectNode ignored = notificationFor(userId).put("topic", "contact.user.updated");
        assertThat(LambdaEvents.invoke(LambdaEvents.notification(ignored)).status()).isEqualTo(200);

        long started = System.nanoTime();
        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(notificationFor(userId)));
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

        assertThat(answeredIn).isLessThan(INTERCOM_GIVES_UP);
        assertThat(answeredIn).as("the whole notification, answer included, stays within its budget")
                .isLessThan(config.notificationBudget());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("queued");
        assertThat(queue.waiting()).hasSize(1);
    }

    private ObjectNode notificationFor(String userId) {
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", "notif_" + UUID.randomUUID()).put("topic", "contact.user.created");
        ObjectNode item = (ObjectNode) body.at("/data/item");
        item.put("id", user.id()).put("external_id", user.externalId()).put("email", user.email());
        return body;
    }
}
