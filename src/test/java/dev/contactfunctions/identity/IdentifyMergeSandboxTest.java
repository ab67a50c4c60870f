package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.ledger.IdentityLedger;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.SandboxCalls;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.HubSignatureVerifier;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * End to end: the committed events, re-signed, through the handler to the Intercom sandbox; the state of the
 * workspace afterwards and the API calls counted by the sandbox. Each test has its own person, and starts on a warm
 * instance (the workspace's data attributes read once), as a deployed function serving a stream of deliveries is.
 */
@QuarkusTest
@TestProfile(IdentifyMergeProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class IdentifyMergeSandboxTest {

    private static final Map<String, String> ATTRIBUTES = Map.of("plan", "string", "first_source", "string",
            "company_size", "string", "seats", "integer");

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    WorkspaceAttributes workspaceAttributes;
    @Inject
    IdentifyMergeService service;
    @Inject
    IdentityLedger ledger;
    @Inject
    InMemoryDeferralQueue queue;
    @Inject
    DeferredDeliveryConsumer consumer;

    private String externalId;
    private String email;
    private Instant now;

    @BeforeEach
    void warmInstanceAndNewPerson() {
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.setLatency(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        queue.clear();
        List<String> defined = sandbox.customAttributeNames();
        ATTRIBUTES.forEach((name, type) -> {
            if (!defined.contains(name)) {
                sandbox.defineDataAttribute(name, type);
            }
        });
        workspaceAttributes.invalidate();
        workspaceAttributes.check(Map.of("plan", "warm-up"));
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        externalId = "user-" + suffix;
        email = "ada." + suffix + "@example.com";
        now = sandbox.clock().instant();
    }

    @Test
    void newUserGetsBothLeadsMergedWithTheirTagsAndAttributesAndTheLeadsAreGone() {
        String older = sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(9)))
                .attribute("first_source", "google").attribute("company_size", "11-50").tag("pricing-page"));
        String newer = sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(2)))
                .attribute("first_source", "newsletter").attribute("company_size", "51-200").tag("webinar"));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = identify(body().put("email", email.toUpperCase()));

        assertThat(answer.status()).isEqualTo(200);
        String userId = answer.body().get("user_id").asText();
        assertThat(answer.body().get("user_created").asBoolean()).isTrue();
        assertThat(texts(answer.body().get("merged_lead_ids"))).containsExactly(older, newer);
        assertThat(texts(answer.body().get("attributes_copied"))).containsExactly("company_size", "first_source");
        assertThat(answer.body().get("skipped")).isEmpty();

        assertThat(sandbox.contactsWithEmail(email)).hasSize(1);
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        assertThat(user.isUser()).isTrue();
        assertThat(user.externalId()).isEqualTo(externalId);
        assertThat(user.email()).isEqualTo(email);
        assertThat(user.name()).isEqualTo("Ada Lovelace");
        assertThat(user.signedUpAt()).isEqualTo(1_773_147_600L);
        assertThat(user.tagNames()).containsExactlyInAnyOrder("pricing-page", "webinar");
        assertThat(user.customAttributes()).containsEntry("first_source", "google")
                .containsEntry("company_size", "51-200").containsEntry("plan", "enterprise");
        assertThat(sandbox.contact(older)).isEmpty();
        assertThat(sandbox.contact(newer)).isEmpty();
        assertThat(sandbox.mergedInto(older)).contains(userId);
        assertThat(sandbox.mergedInto(newer)).contains(userId);
        assertThat(ledger.contactFor(IdentityLedger.email(TestPseudonyms.LOCAL, email))).contains(userId);
        // lookup, one search of the email (the user and the leads), create, one attribute copy, two merges: k + 3,
        // plus 1 for the copy; the create wrote the event's fields
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.SEARCH_CONTACTS, 1L,
                Endpoint.CREATE_CONTACT, 1L, Endpoint.UPDATE_CONTACT, 1L, Endpoint.MERGE_CONTACTS, 2L));
    }

    @Test
    void signUpWithKLeadsCostsKPlusThreeAndTheSameUserLoggingInAgainTwo() {
        String lead = sandbox.addContact(SeedContact.lead(email));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer signUp = identify(body());

        assertThat(signUp.status()).isEqualTo(200);
        assertThat(texts(signUp.body().get("merged_lead_ids"))).containsExactly(lead);
        // lookup, one search of the email, create, one merge: nothing to copy, the create wrote the event's fields
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.SEARCH_CONTACTS, 1L,
                Endpoint.CREATE_CONTACT, 1L, Endpoint.MERGE_CONTACTS, 1L));

        Map<Endpoint, Long> beforeLogIn = counts();
        WebhookAnswer logIn = identify(body());

        assertThat(logIn.status()).isEqualTo(200);
        assertThat(logIn.body().get("user_id").asText()).isEqualTo(signUp.body().get("user_id").asText());
        assertThat(callsSince(beforeLogIn)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L,
                Endpoint.SEARCH_CONTACTS, 1L));
    }

    @Test
    void existingUserWithKLeadsCostsAtMostThreePlusKCallsPlusOneForTheCopy() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email).name("Ada").attribute("plan", "free"));
        List<String> leads = new ArrayList<>();
        for (int i = 3; i >= 1; i--) {
            leads.add(sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(i)))
                    .attribute("seats", i)));
        }
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = identify(body());

        int k = leads.size();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("user_id").asText()).isEqualTo(userId);
        assertThat(answer.body().get("user_created").asBoolean()).isFalse();
        assertThat(texts(answer.body().get("merged_lead_ids"))).containsExactlyElementsOf(leads);
        assertThat(texts(answer.body().get("attributes_copied"))).containsExactly("seats");
        assertThat(total(callsSince(before))).isLessThanOrEqualTo(3 + k + 1);
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.SEARCH_CONTACTS, 1L,
                Endpoint.UPDATE_CONTACT, 2L, Endpoint.MERGE_CONTACTS, (long) k));
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        assertThat(user.customAttributes()).containsEntry("seats", 1L).containsEntry("plan", "enterprise");
        assertThat(user.name()).isEqualTo("Ada Lovelace");
    }

    @Test
    void existingUserWithNothingToCopyOrChangeCostsExactlyThreePlusKMinusTheUpdate() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email).name("Ada Lovelace")
                .signedUpAt(Instant.ofEpochSecond(1_773_147_600L)).attribute("plan", "enterprise"));
        String lead = sandbox.addContact(SeedContact.lead(email));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = identify(body());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(texts(answer.body().get("merged_lead_ids"))).containsExactly(lead);
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.SEARCH_CONTACTS, 1L,
                Endpoint.MERGE_CONTACTS, 1L));
        assertThat(sandbox.mergedInto(lead)).contains(userId);
    }

    @Test
    void givenLeadIdOfAMessengerVisitorWithoutEmailIsMergedAndLeadsOfOtherEmailsAreUntouched() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email));
        String messengerLead = sandbox.addContact(SeedContact.lead(null).tag("chat"));
        String anonymousLead = sandbox.addContact(SeedContact.lead(null));
        String similar = sandbox.addContact(SeedContact.lead("x" + email));
        String someoneElse = sandbox.addContact(SeedContact.lead("grace@example.com"));

        WebhookAnswer answer = identify(body().put("lead_id", messengerLead));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(texts(answer.body().get("merged_lead_ids"))).containsExactly(messengerLead);
        assertThat(sandbox.mergedInto(messengerLead)).contains(userId);
        assertThat(sandbox.contact(userId).orElseThrow().tagNames()).contains("chat");
        for (String untouched : List.of(anonymousLead, similar, someoneElse)) {
            assertThat(sandbox.contact(untouched)).as(untouched).get().matches(SandboxContact::isLead);
        }
    }

    @Test
    void givenLeadIdOfAnotherVisitorsLeadIsRefusedAndNothingIsWritten() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email).attribute("plan", "free"));
        String othersLead = sandbox.addContact(SeedContact.lead("grace." + externalId + "@example.com").tag("chat")
                .attribute("first_source", "ads"));
        String ownLead = sandbox.addContact(SeedContact.lead(email));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = identify(body().put("lead_id", othersLead));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("lead_email_mismatch");
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.GET_CONTACT, 1L));
        assertThat(sandbox.contact(othersLead)).get().matches(SandboxContact::isLead);
        assertThat(sandbox.contact(ownLead)).get().matches(SandboxContact::isLead);
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        assertThat(user.tagNames()).doesNotContain("chat");
        assertThat(user.customAttributes()).containsEntry("plan", "free").doesNotContainKey("first_source");
    }

    @Test
    void signUpNamingAnotherVisitorsLeadCreatesNoUser() {
        String othersLead = sandbox.addContact(SeedContact.lead("grace." + externalId + "@example.com"));

        WebhookAnswer answer = identify(body().put("lead_id", othersLead));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("lead_email_mismatch");
        assertThat(sandbox.contactsWithEmail(email)).isEmpty();
        assertThat(sandbox.contacts()).noneMatch(c -> externalId.equals(c.externalId()));
    }

    @Test
    void redeliveryGivesTheSameUserAndNothingMoreToDo() {
        String lead = sandbox.addContact(SeedContact.lead(email).attribute("first_source", "google"));
        ObjectNode body = body().put("lead_id", lead);
        WebhookAnswer first = identify(body);
        Map<Endpoint, Long> before = counts();

        WebhookAnswer again = identify(body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().get("user_id").asText()).isEqualTo(first.body().get("user_id").asText());
        assertThat(again.body().get("user_created").asBoolean()).isFalse();
        assertThat(again.body().get("merged_lead_ids")).isEmpty();
        assertThat(again.body().get("attributes_copied")).isEmpty();
        assertThat(again.body().get("skipped").toString()).isEqualTo("[{\"id\":\"" + lead + "\",\"reason\":\"gone\"}]");
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.FIND_BY_EXTERNAL_ID, 1L, Endpoint.SEARCH_CONTACTS, 1L,
                Endpoint.GET_CONTACT, 1L));
        assertThat(sandbox.contactsWithEmail(email)).hasSize(1);
    }

    @Test
    void concurrentRunsForOnePersonTakeTurnsOnItsEmailAndMergeTheLeadOnce() throws Exception {
        String userId = sandbox.addContact(SeedContact.user(externalId, email));
        String lead = sandbox.addContact(SeedContact.lead(email));
        // the first merge to arrive is slow: without the email claim the other run would merge the lead meanwhile
        sandbox.faults().next(1, Endpoint.MERGE_CONTACTS, Fault.delay(Duration.ofMillis(600)));
        IdentifyRequest request = new IdentifyRequest(externalId, email, null, null, null, Map.of(), null);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<IdentifyResult>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(threads.submit(() -> {
                    start.await();
                    return service.identify(request);
                }));
            }
            start.countDown();
            IdentifyResult a = runs.get(0).get(30, TimeUnit.SECONDS);
            IdentifyResult b = runs.get(1).get(30, TimeUnit.SECONDS);

            assertThat(a.userId()).isEqualTo(userId);
            assertThat(b.userId()).isEqualTo(userId);
            List<String> merged = new ArrayList<>(a.merge().mergedLeadIds());
            merged.addAll(b.merge().mergedLeadIds());
            assertThat(merged).containsExactly(lead);
            List<SkippedLead> skipped = new ArrayList<>(a.merge().skipped());
            skipped.addAll(b.merge().skipped());
            assertThat(skipped).isEmpty();
            assertThat(sandbox.mergedInto(lead)).contains(userId);
            assertThat(sandbox.stats().calls(Endpoint.MERGE_CONTACTS, 404)).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void mergeFailingMidwayIsQueuedAndTheQueueCompletesTheRest() {
        List<String> leads = new ArrayList<>();
        for (int i = 3; i >= 1; i--) {
            leads.add(sandbox.addContact(SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(i)))
                    .attribute("first_source", "source-" + i)));
        }
        sandbox.faults().next(1, Endpoint.MERGE_CONTACTS, Fault.delay(Duration.ZERO))
                .always(Endpoint.MERGE_CONTACTS, Fault.status(503));

        WebhookAnswer failed = identify(body());

        assertThat(failed.status()).isEqualTo(202);
        assertThat(failed.body().get("status").asText()).isEqualTo("queued");
        assertThat(sandbox.contact(leads.get(0))).isEmpty();
        assertThat(sandbox.contact(leads.get(1))).isPresent();
        String userId = sandbox.mergedInto(leads.get(0)).orElseThrow();
        assertThat(sandbox.contact(userId).orElseThrow().customAttributes()).containsEntry("first_source", "source-3");

        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(1, 0, 0));
        WebhookAnswer repeated = identify(body(), failed.body().get("delivery_id").asText());

        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.body().get("user_id").asText()).isEqualTo(userId);
        assertThat(texts(repeated.body().get("merged_lead_ids"))).containsExactly(leads.get(1), leads.get(2));
        assertThat(repeated.body().get("attributes_copied")).isEmpty();
        assertThat(sandbox.contactsWithEmail(email)).singleElement().matches(SandboxContact::isUser);
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        assertThat(user.customAttributes()).containsEntry("first_source", "source-3").containsEntry("plan", "enterprise");
    }

    @Test
    void userCreatedNotificationMergesTheLeadsOfItsEmail() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email));
        String lead = sandbox.addContact(SeedContact.lead(email).tag("pricing-page"));
        ObjectNode notification = notificationFor(userId, "contact.user.created");
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(notification));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("processed");
        assertThat(texts(answer.body().get("merged_lead_ids"))).containsExactly(lead);
        assertThat(sandbox.mergedInto(lead)).contains(userId);
        assertThat(sandbox.contact(userId).orElseThrow().tagNames()).contains("pricing-page");
        assertThat(callsSince(before)).isEqualTo(Map.of(Endpoint.SEARCH_CONTACTS, 1L, Endpoint.MERGE_CONTACTS, 1L));

        Map<Endpoint, Long> beforeRetry = counts();
        WebhookAnswer retried = LambdaEvents.invoke(LambdaEvents.notification(notification));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("status").asText()).isEqualTo("duplicate");
        assertThat(callsSince(beforeRetry)).isEmpty();
    }

    @Test
    void notificationWithABadSignatureChangesNothing() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email));
        String lead = sandbox.addContact(SeedContact.lead(email));
        ObjectNode event = LambdaEvents.withBody(LambdaEvents.event(LambdaEvents.NOTIFICATION),
                notificationFor(userId, "contact.user.created"));
        LambdaEvents.headers(event).put("x-hub-signature", HubSignatureVerifier.sign("another-apps-secret",
                event.get("body").asText().getBytes(StandardCharsets.UTF_8)));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = LambdaEvents.invoke(event);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("invalid_signature");
        assertThat(callsSince(before)).isEmpty();
        assertThat(sandbox.contact(lead)).isPresent();
    }

    @Test
    void notificationsOfOtherTopicsAreAcknowledgedWithoutACall() {
        String userId = sandbox.addContact(SeedContact.user(externalId, email));
        sandbox.addContact(SeedContact.lead(email));
        Map<Endpoint, Long> before = counts();

        WebhookAnswer answer = LambdaEvents.invoke(LambdaEvents.notification(notificationFor(userId, "contact.user.updated")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("status").asText()).isEqualTo("ignored");
        assertThat(callsSince(before)).isEmpty();
    }

    // ---- helpers

    private ObjectNode body() {
        return LambdaEvents.body(LambdaEvents.IDENTIFY).put("external_id", externalId).put("email", email);
    }

    private static WebhookAnswer identify(ObjectNode body) {
        return LambdaEvents.invoke(LambdaEvents.identify(body));
    }

    /** The same, repeated under the delivery id its first answer gave (as an Idempotency-Key). */
    private static WebhookAnswer identify(ObjectNode body, String deliveryId) {
        ObjectNode event = LambdaEvents.identify(body);
        LambdaEvents.headers(event).put("idempotency-key", deliveryId);
        return LambdaEvents.invoke(event);
    }

    /** The committed notification, about this sandbox user, with a fresh notification id. */
    private ObjectNode notificationFor(String userId, String topic) {
        SandboxContact user = sandbox.contact(userId).orElseThrow();
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        body.put("id", "notif_" + UUID.randomUUID()).put("topic", topic);
        ObjectNode item = (ObjectNode) body.at("/data/item");
        item.put("id", user.id()).put("external_id", user.externalId()).put("email", user.email());
        item.set("custom_attributes", LambdaEvents.JSON.valueToTree(user.customAttributes()));
        return body;
    }

    private Map<Endpoint, Long> counts() {
        return SandboxCalls.counts(sandbox);
    }

    private Map<Endpoint, Long> callsSince(Map<Endpoint, Long> before) {
        return SandboxCalls.since(sandbox, before);
    }

    private static long total(Map<Endpoint, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
