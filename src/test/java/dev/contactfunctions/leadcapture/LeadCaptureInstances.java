package dev.contactfunctions.leadcapture;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.params.provider.Arguments;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.deferral.DeferralConfig;
import dev.contactfunctions.deferral.DeferralQueue;
import dev.contactfunctions.deferral.DeferredDeliveryConsumer;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.ledger.IdentityClaims;
import dev.contactfunctions.ledger.Ledger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.testsupport.BadInput;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.webhook.FormToolSecrets;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.arc.Arc;
import io.smallrye.config.SmallRyeConfig;

/**
 * Lead capture for tests outside this package (the reliability suite): separate function instances built by hand,
 * signed events, and the bad-input corpus of {@link LeadCaptureBadInputTest}.
 */
public final class LeadCaptureInstances {

    public static final String ROUTE = "/webhooks/leads";

    private LeadCaptureInstances() {
    }

    /**
     * One lead-capture function instance: its own attribute and tag caches, identity claims, delivery lifecycle,
     * consumer and handler, as a separate Lambda instance has; the ledger, the queue and Intercom are shared.
     */
    public record Instance(LeadCaptureHandler handler, DeferredDeliveryConsumer consumer) {
    }

    public static Instance create(IntercomClient intercom, LeadCaptureConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock) {
        return create(intercom, config, ledger, ledgerConfig, queue, secrets, budget, clock,
                Arc.container().instance(RequiredSettings.class).get(), TestPseudonyms.LOCAL);
    }

    /** As above, with the instance's own required settings and pseudonyms (e.g. a setting missing). */
    public static Instance create(IntercomClient intercom, LeadCaptureConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock,
            RequiredSettings settings, Pseudonyms pseudonyms) {
        return create(intercom, config, ledger, ledgerConfig, queue, secrets, budget, clock, settings, pseudonyms,
                new IdentityClaims(ledger, ledgerConfig, clock));
    }

    /** As the first, with the instance's identity claims built by the caller (e.g. polling on a virtual clock). */
    public static Instance create(IntercomClient intercom, LeadCaptureConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock,
            IdentityClaims claims) {
        return create(intercom, config, ledger, ledgerConfig, queue, secrets, budget, clock,
                Arc.container().instance(RequiredSettings.class).get(), TestPseudonyms.LOCAL, claims);
    }

    private static Instance create(IntercomClient intercom, LeadCaptureConfig config, Ledger ledger,
            LedgerConfig ledgerConfig, DeferralQueue queue, WebhookSecrets secrets, CallBudget budget, Clock clock,
            RequiredSettings settings, Pseudonyms pseudonyms, IdentityClaims claims) {
        CustomAttributeCatalog attributes = new CustomAttributeCatalog(intercom, config);
        TagCatalog tags = new TagCatalog(intercom);
        FormPolicy policy = new FormPolicy(config);
        LeadCaptureService service = new LeadCaptureService(intercom, attributes, tags, claims, budget,
                ledgerConfig, clock, pseudonyms, policy);
        LeadCaptureDeliveries deliveries = new LeadCaptureDeliveries(service,
                new DeliveryLifecycle(ledger, queue, ledgerConfig, clock), pseudonyms, policy);
        DeferredDeliveryConsumer consumer = new DeferredDeliveryConsumer(List.of(deliveries), budget, queue,
                deferral().maxAttempts(), deferral().notAttemptedReturn());
        FormToolEndpoint formTools = new FormToolEndpoint(deliveries,
                Arc.container().instance(FormToolSecrets.class).get(), new FormFieldMapping(config), settings,
                pseudonyms);
        return new Instance(new LeadCaptureHandler(new LeadEndpoint(deliveries, secrets, settings, pseudonyms),
                formTools, new LeadAnswers(clock), budget, consumer), consumer);
    }

    /**
     * The consumer's settings as deployed: the application's {@code deferral.*} config, which template.yaml leaves at
     * their defaults (real attempts before the dead-letter queue, when an untried message comes back).
     */
    public static DeferralConfig deferral() {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(DeferralConfig.class);
    }

    /** The committed JSON event for {@code email} under {@code idempotencyKey}, its body edited, signed now. */
    public static String event(String email, String idempotencyKey, Consumer<ObjectNode> edit) {
        return LeadCaptureEvents.json().email(email).json(edit).idempotencyKey(idempotencyKey).toJson();
    }

    /** The delivery-ledger key of a delivery id. */
    public static String ledgerKey(String deliveryId) {
        return LeadCaptureDeliveries.LEDGER_PREFIX + deliveryId;
    }

    /** The custom attributes the committed events write, with their data types. */
    public static List<String> eventAttributes() {
        return IntercomStubs.EVENT_ATTRIBUTES;
    }

    public static String eventAttributeType(String name) {
        return IntercomStubs.TYPES.getOrDefault(name, "string");
    }

    /**
     * Every case of {@link LeadCaptureBadInputTest} (refused before Intercom, and refused after reading it) and of
     * {@link FormToolRoutesTest} (the form tools' routes, {@code /webhooks/leads/<tool>}).
     */
    public static List<BadInput> badInputs() {
        List<BadInput> cases = new ArrayList<>();
        Stream.concat(LeadCaptureBadInputTest.refusedBeforeIntercom(),
                LeadCaptureBadInputTest.refusedAfterReadingTheWorkspace()).map(Arguments::get).forEach(a -> {
                    @SuppressWarnings("unchecked")
                    Supplier<LeadCaptureEvents.Event> event = (Supplier<LeadCaptureEvents.Event>) a[1];
                    cases.add(new BadInput(ROUTE, (String) a[0], () -> event.get().toJson(), (Integer) a[2],
                            (String) a[3], (String) a[4]));
                });
        FormToolRoutesTest.refused().map(Arguments::get).forEach(a -> {
            @SuppressWarnings("unchecked")
            Supplier<FormToolEvents.Event> event = (Supplier<FormToolEvents.Event>) a[2];
            cases.add(new BadInput(ROUTE + "/" + a[0], (String) a[1], () -> event.get().toJson(), (Integer) a[3],
                    (String) a[4], (String) a[5]));
        });
        return cases;
    }
}
