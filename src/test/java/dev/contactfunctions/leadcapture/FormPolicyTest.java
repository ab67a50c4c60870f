package dev.contactfunctions.leadcapture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.SandboxCalls;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * What a form may change ({@link FormPolicy}), end to end on the Intercom sandbox, with function instances deployed
 * with the default settings (the attribution fields only, no tag) or with a few more names allow-listed: a form
 * cannot change a customer, nor grow the workspace's schema, whether its delivery is written at once or queued.
 */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class FormPolicyTest {

    private static final List<String> ATTRIBUTES = List.of("plan", "company_size", "utm_source", "utm_medium",
            "utm_campaign", "utm_term", "utm_content", "landing_page", "referrer", "first_utm_source",
            "first_utm_medium", "first_utm_campaign", "first_utm_term", "first_utm_content", "first_landing_page",
            "first_referrer");

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    Ledger ledger;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    InMemoryDeferralQueue queue;
    @Inject
    WebhookSecrets secrets;
    @Inject
    CallBudget budget;
    @Inject
    Clock clock;

    /** The ledger calls the instances made, by method name. */
    private final List<String> ledgerCalls = Collections.synchronizedList(new ArrayList<>());
    private String email;

    @BeforeEach
    void workspaceWithTheAttributesOfTheForms() {
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        queue.clear();
        List<String> defined = sandbox.customAttributeNames();
        ATTRIBUTES.stream().filter(name -> !defined.contains(name))
                .forEach(name -> sandbox.defineDataAttribute(name, "string"));
        email = LeadCaptureEvents.uniqueEmail("customer");
        ledgerCalls.clear();
    }

    // ---- finding 1: a form changes an existing user

    @Test
    void aFormNamingACustomersPlanAndATagOfItsChoiceIsRefusedAndChangesNothing() {
        String user = sandbox.addContact(SeedContact.user("acct-" + UUID.randomUUID(), email).name("Ada Lovelace")
                .attribute("plan", "enterprise"));
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults());
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.form().email(email).form(f -> {
            f.put("custom_attributes[company_size]", null);
            f.put("custom_attributes[plan]", "free");
            f.put("tags", "attacker-chosen");
        }));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("attribute_not_allowed");
        assertThat(answer.errorField()).isEqualTo("custom_attributes.plan");
        assertThat(answer.body().path("error").path("message").asText()).endsWith(": plan");
        assertThat(SandboxCalls.since(sandbox, before)).isEmpty();
        assertThat(ledgerCalls).isEmpty();
        SandboxContact customer = sandbox.contact(user).orElseThrow();
        assertThat(customer.customAttributes()).containsEntry("plan", "enterprise");
        assertThat(customer.tagNames()).isEmpty();
        assertThat(intercom.listTags()).extracting(Tag::name).doesNotContain("attacker-chosen");
    }

    @Test
    void aTagOutsideTheAllowListIsRefusedByName() {
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of(), List.of("Newsletter")));
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.form().email(email)
                .form(f -> {
                    f.put("custom_attributes[company_size]", null);
                    f.put("tags", "newsletter,attacker-chosen");
                }));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("tag_not_allowed");
        assertThat(answer.errorField()).isEqualTo("tags");
        assertThat(answer.body().path("error").path("message").asText()).endsWith(": attacker-chosen");
        assertThat(SandboxCalls.since(sandbox, before)).isEmpty();
        assertThat(sandbox.contactsWithEmail(email)).isEmpty();
    }

    @Test
    void onACustomerAFormFillsOnlyWhatIsEmptyAndWritesTheAttribution() {
        String user = sandbox.addContact(SeedContact.user("acct-" + UUID.randomUUID(), email).name("Ada Lovelace")
                .attribute("plan", "enterprise").attribute("utm_source", "bing")
                .attribute("first_utm_source", "bing"));
        // a deployment whose forms may write plan and company_size, and attach "newsletter"
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("plan", "company_size"), List.of("newsletter")));

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.put("name", "Eve").put("phone", "+44 20 7946 0000");
            b.putObject("custom_attributes").put("plan", "free").put("company_size", "11-50");
            b.putArray("tags").add("newsletter");
        }));

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"" + user + "\",\"role\":\"user\",\"outcome\":\"updated\"}");
        SandboxContact customer = sandbox.contact(user).orElseThrow();
        assertThat(customer.name()).isEqualTo("Ada Lovelace");
        assertThat(customer.phone()).isEqualTo("+44 20 7946 0000"); // empty: filled in
        assertThat(customer.customAttributes()).containsEntry("plan", "enterprise")
                .containsEntry("company_size", "11-50")
                .containsEntry("utm_source", "google").containsEntry("utm_medium", "cpc")
                .containsEntry("first_utm_source", "bing").containsEntry("first_utm_medium", "cpc");
        assertThat(customer.tagNames()).containsExactly("newsletter");
    }

    @Test
    void aLeadTakesTheFormsValuesAsBefore() {
        String lead = sandbox.addContact(SeedContact.lead(email).name("A. Lovelace").attribute("plan", "free")
                .attribute("first_utm_source", "bing").createdAt(Instant.now().minus(Duration.ofDays(2))));
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("plan"), List.of()));

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.putObject("custom_attributes").put("plan", "pro");
            b.remove("tags");
        }));

        assertThat(answer.body().toString())
                .isEqualTo("{\"contact_id\":\"" + lead + "\",\"role\":\"lead\",\"outcome\":\"updated\"}");
        SandboxContact updated = sandbox.contact(lead).orElseThrow();
        assertThat(updated.name()).isEqualTo("Ada Lovelace");
        assertThat(updated.customAttributes()).containsEntry("plan", "pro").containsEntry("utm_source", "google")
                .containsEntry("first_utm_source", "bing");
    }

    // ---- finding 2: a form grows the workspace's schema

    @Test
    void fiftyNewAttributesAndTwentyNewTagsAreRefusedAndTheWorkspaceKeepsItsSchema() {
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults());
        int attributes = sandbox.customAttributeNames().size();
        int tags = intercom.listTags().size();
        String run = UUID.randomUUID().toString().substring(0, 6);
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            ObjectNode custom = b.putObject("custom_attributes");
            for (int i = 0; i < 50; i++) {
                custom.put("grown_" + run + "_" + i, "x");
            }
            ArrayNode names = b.putArray("tags");
            for (int i = 0; i < 20; i++) {
                names.add("grown-" + run + "-" + i + (i % 2 == 0 ? "\n<b>markup</b>" : ""));
            }
        }));
        WebhookAnswer tagsOnly = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.remove("custom_attributes");
            ArrayNode names = b.putArray("tags");
            for (int i = 0; i < 20; i++) {
                names.add("grown-" + run + "-" + i);
            }
        }));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("attribute_not_allowed");
        assertThat(answer.body().path("error").path("message").asText())
                .contains("grown_" + run + "_0, ", "grown_" + run + "_49");
        assertThat(tagsOnly.status()).isEqualTo(422);
        assertThat(tagsOnly.errorCode()).isEqualTo("tag_not_allowed");
        assertThat(SandboxCalls.since(sandbox, before)).isEmpty();
        assertThat(sandbox.customAttributeNames()).hasSize(attributes);
        assertThat(intercom.listTags()).hasSize(tags);
        assertThat(sandbox.contactsWithEmail(email)).isEmpty();
    }

    @Test
    void allowListedAttributesAndTagsMissingInTheWorkspaceAreCreatedOneCallEachWithTheirTypes() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults().allowing(
                List.of("score_" + suffix, "vip_" + suffix, "segment_" + suffix),
                List.of("launch-" + suffix, "pricing-page")));
        warm(deployed);
        Map<Endpoint, Long> before = SandboxCalls.counts(sandbox);

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.putObject("custom_attributes").put("score_" + suffix, 7).put("vip_" + suffix, true)
                    .put("segment_" + suffix, "b2b");
            b.putArray("tags").add("launch-" + suffix);
        }));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(SandboxCalls.since(sandbox, before)).isEqualTo(Map.of(Endpoint.CREATE_DATA_ATTRIBUTE, 3L,
                Endpoint.SEARCH_CONTACTS, 1L, Endpoint.CREATE_CONTACT, 1L, Endpoint.CREATE_OR_UPDATE_TAG, 1L,
                Endpoint.TAG_CONTACT, 1L));
        assertThat(sandbox.customAttributeNames()).contains("score_" + suffix, "vip_" + suffix, "segment_" + suffix);
        SandboxContact lead = sandbox.contactsWithEmail(email).get(0);
        assertThat(lead.customAttributes()).containsEntry("score_" + suffix, 7L).containsEntry("vip_" + suffix, true)
                .containsEntry("segment_" + suffix, "b2b");
        assertThat(lead.tagNames()).containsExactly("launch-" + suffix);
    }

    @Test
    void anAllowListedNewAttributeIsNotCreatedWhenTheSameDeliveryNamesOneThatIsNot() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("score_" + suffix), List.of()));
        int attributes = sandbox.customAttributeNames().size();

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.putObject("custom_attributes").put("score_" + suffix, 7).put("other_" + suffix, 1);
            b.remove("tags");
        }));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorField()).isEqualTo("custom_attributes.other_" + suffix);
        assertThat(sandbox.customAttributeNames()).hasSize(attributes).doesNotContain("score_" + suffix);
    }

    @Test
    void aStandardAttributeAllowListedByMistakeIsStillNoCustomAttribute() {
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("phone"), List.of()));

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.json().email(email).json(b -> {
            b.putObject("custom_attributes").put("phone", "+1 555 0100");
            b.remove("tags");
        }));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("reserved_attribute");
        assertThat(answer.errorField()).isEqualTo("custom_attributes.phone");
        assertThat(sandbox.contactsWithEmail(email)).isEmpty();
    }

    // ---- the deferral queue: a queued delivery can do no more than a direct one

    @Test
    void withIntercomDownARefusedDeliveryIsRefusedAtOnceNeverQueued() {
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults());
        sandbox.faults().alwaysOnAny(Fault.status(503));

        WebhookAnswer answer = post(deployed, LeadCaptureEvents.form().email(email)
                .form(f -> {
                    f.put("custom_attributes[company_size]", null);
                    f.put("custom_attributes[plan]", "free");
                }));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo("attribute_not_allowed");
        assertThat(queue.waiting()).isEmpty();
        assertThat(ledgerCalls).isEmpty();
    }

    @Test
    void aQueuedDeliveryToACustomerOnlyFillsWhatIsEmpty() {
        String user = sandbox.addContact(SeedContact.user("acct-" + UUID.randomUUID(), email)
                .attribute("plan", "enterprise"));
        LeadCaptureInstances.Instance deployed = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("plan", "company_size"), List.of()));
        sandbox.faults().alwaysOnAny(Fault.status(503));
        WebhookAnswer queued = post(deployed, planFree());
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();

        InMemoryDeferralQueue.DrainResult drained = queue.drain(deployed.consumer());

        assertThat(queued.status()).isEqualTo(202);
        assertThat(drained).isEqualTo(new InMemoryDeferralQueue.DrainResult(1, 0, 0));
        assertThat(sandbox.contact(user).orElseThrow().customAttributes()).containsEntry("plan", "enterprise")
                .containsEntry("company_size", "11-50").containsEntry("utm_source", "google");
    }

    @Test
    void aQueuedDeliveryTheSettingsNoLongerAllowIsDeadLetteredUnwritten() {
        String user = sandbox.addContact(SeedContact.user("acct-" + UUID.randomUUID(), email));
        LeadCaptureInstances.Instance before = instance(LeadCaptureSettings.defaults()
                .allowing(List.of("plan", "company_size"), List.of()));
        sandbox.faults().alwaysOnAny(Fault.status(503));
        WebhookAnswer queued = post(before, planFree());
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        // redeployed with the defaults while the delivery waits
        LeadCaptureInstances.Instance after = instance(LeadCaptureSettings.defaults());
        Map<Endpoint, Long> calls = SandboxCalls.counts(sandbox);

        InMemoryDeferralQueue.DrainResult drained = queue.drain(after.consumer());

        assertThat(queued.status()).isEqualTo(202);
        assertThat(drained).isEqualTo(new InMemoryDeferralQueue.DrainResult(0, 0, 1));
        assertThat(queue.deadLetters()).hasSize(1);
        assertThat(SandboxCalls.since(sandbox, calls)).isEmpty();
        assertThat(sandbox.contact(user).orElseThrow().customAttributes()).doesNotContainKey("plan");
    }

    private LeadCaptureEvents.Event planFree() {
        return LeadCaptureEvents.json().email(email).json(b -> {
            b.putObject("custom_attributes").put("plan", "free").put("company_size", "11-50");
            b.remove("tags");
        });
    }

    /** A lead-capture instance deployed with {@code settings}, its ledger calls recorded in {@link #ledgerCalls}. */
    private LeadCaptureInstances.Instance instance(LeadCaptureConfig settings) {
        Ledger recorded = (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] { Ledger.class },
                (proxy, method, args) -> {
                    ledgerCalls.add(method.getName());
                    try {
                        return method.invoke(ledger, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return LeadCaptureInstances.create(intercom, settings, recorded, ledgerConfig, queue, secrets, budget, clock);
    }

    /** The instance lists the workspace's attributes and tags once, as a warm one has. */
    private void warm(LeadCaptureInstances.Instance instance) {
        sandbox.defineTag("pricing-page");
        assertThat(post(instance, LeadCaptureEvents.json().email(LeadCaptureEvents.uniqueEmail("warm-up")).json(b -> {
            b.remove("custom_attributes");
            b.putArray("tags").add("pricing-page");
        })).status()).isEqualTo(200);
    }

    private static WebhookAnswer post(LeadCaptureInstances.Instance instance, LeadCaptureEvents.Event event) {
        return HandlerCalls.webhook(instance.handler(), event.toJson());
    }
}
