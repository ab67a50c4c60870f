package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.audit.AuditReport;
import dev.contactfunctions.audit.FixModeFaults;
import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.deferral.SqsDeferralQueue;
import dev.contactfunctions.identity.IdentifyMergeConfig;
import dev.contactfunctions.identity.IdentifyMergeInstances;
import dev.contactfunctions.identity.IdentifyMergeService;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.TestCredentials;
import dev.contactfunctions.leadcapture.LeadCaptureConfig;
import dev.contactfunctions.leadcapture.LeadCaptureInstances;
import dev.contactfunctions.ledger.Dynalite;
import dev.contactfunctions.ledger.DynamoDbLedger;
import dev.contactfunctions.ledger.LedgerConfig;
import dev.contactfunctions.sandbox.Fault;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.testsupport.CommittedEvents;
import dev.contactfunctions.testsupport.HandlerCalls;
import dev.contactfunctions.testsupport.InjectSandbox;
import dev.contactfunctions.testsupport.IntercomSandboxResource;
import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.testsupport.WebhookAnswer;
import dev.contactfunctions.webhook.RequiredSettings;
import dev.contactfunctions.webhook.TestWebhookSecrets;
import dev.contactfunctions.webhook.WebhookSecrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The audit's fix mode when a fault interrupts it, the functions when a setting is missing, and what they keep of a
 * person at rest.
 *
 * <p>{@code fix_mode_faults}: each fault the fix path can meet (the person's identity busy in the ledger, DynamoDB
 * failing before and after Intercom merged, SQS failing, Intercom refusing the token with 401 or 403) hits the second
 * of seven fixes. The invocation ends with the checkpoint saved and a partial report listing the fix done and the one
 * interrupted (with why, no address), then the next invocation resumes and completes: every fix lands exactly once.
 * Each planned fix counts as attempted and accepted, delivered when its effect is in the workspace at the end,
 * duplicated when Intercom received it twice. It runs against the Intercom sandbox with its search lagging writes
 * by two minutes, through the production reading and merging path: the resumed run meets the lead merged by the
 * interrupted invocation, and that merge counts as done without a second write.
 *
 * <p>{@code not_configured}: function instances deployed without one setting each (the webhook signing secret, the
 * Intercom app's client secret, the Intercom token, the hashing key) answer every delivery 503 {@code not_configured}
 * naming the setting, write nothing to the ledger (dynalite), the queue (ElasticMQ) or Intercom, and log one line per
 * instance without a stack trace. Nothing is accepted, so nothing can be lost; the sender's retry delivers once the
 * setting is there (counted as delivered when it does).
 *
 * <p>Privacy at rest: deliveries done and queued leave no address in the ledger's items, the queue's group ids and
 * identity fields, or the log lines; only the queued payload carries it.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(IntercomSandboxResource.class)
class AuditAndConfigScenariosTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Dynalite dynalite;

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    IntercomClient intercom;
    @Inject
    LeadCaptureConfig leadConfig;
    @Inject
    IdentifyMergeConfig identifyConfig;
    @Inject
    LedgerConfig ledgerConfig;
    @Inject
    WebhookSecrets secrets;
    @Inject
    RequiredSettings settings;
    @Inject
    CallBudget budget;
    @Inject
    IdentifyMergeService identify;
    @Inject
    Clock clock;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private String table;
    private DynamoDbLedger ledger;
    private SqsClient sqs;
    private String leadQueueUrl;
    private String identifyQueueUrl;

    @TempDir
    Path stores;

    @BeforeAll
    static void findDynalite() {
        dynalite = Dynalite.shared();
    }

    @BeforeEach
    void freshLedgerQueuesAndLog() {
        sandbox.setSearchLag(Duration.ofMinutes(2));
        sandbox.faults().clear();
        CircuitBreakerMaintenance.get().resetAll();
        List<String> defined = sandbox.customAttributeNames();
        LeadCaptureInstances.eventAttributes().stream().filter(a -> !defined.contains(a))
                .forEach(a -> sandbox.defineDataAttribute(a, LeadCaptureInstances.eventAttributeType(a)));
        if (!defined.contains("plan")) {
            sandbox.defineDataAttribute("plan", "string");
        }
        table = dynalite.createLedgerTable();
        ledger = closeLater(new DynamoDbLedger(dynalite.client(), table, clock, ledgerConfig.ttl()));
        sqs = closeLater(ElasticMq.shared().client());
        leadQueueUrl = ElasticMq.shared().createFifoQueue("leads-" + UUID.randomUUID() + ".fifo");
        identifyQueueUrl = ElasticMq.shared().createFifoQueue("identify-" + UUID.randomUUID() + ".fifo");
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void close() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        for (AutoCloseable c : closing) {
            c.close();
        }
        closing.clear();
    }


    @Test
    void fixModeFaults() throws Exception {
        ScenarioFigures figures = new ScenarioFigures("fix_mode_faults", sandbox.searchLag().toSeconds());
        assertThat(sandbox.searchLag()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
        for (FixModeFaults.Fault fault : FixModeFaults.Fault.values()) {
            CircuitBreakerMaintenance.get().resetAll();
            Path store = Files.createDirectory(stores.resolve(fault.name()));
            FixModeFaults.Outcome outcome = FixModeFaults.run(fault, store, sandbox, intercom, identify, budget);

            // the first invocation: fails (a configuration problem, so that its alarm calls) or answers partial
            if (fault.configurationProblem()) {
                assertThat(outcome.firstFailure()).as(fault.name()).isPresent();
            } else {
                assertThat(outcome.firstFailure()).as(fault.name()).isEmpty();
                assertThat(outcome.firstSummary().orElseThrow().status()).as(fault.name()).isEqualTo("partial");
                assertThat(outcome.firstSummary().orElseThrow().resumeNeeded()).as(fault.name()).isTrue();
            }
            // ... with the checkpoint saved and a partial report: the first merge done, the second interrupted
            assertThat(outcome.checkpointAfterFirst()).as(fault.name()).isTrue();
            assertThat(outcome.partialReport().run().status()).as(fault.name()).isEqualTo("partial");
            assertThat(outcome.partialReport().run().stopReason()).as(fault.name()).isNotBlank();
            List<AuditReport.Change> changes = outcome.partialChanges();
            assertThat(changes).as(fault.name()).hasSize(FixModeFaults.PLANNED_FIXES);
            assertThat(changes.get(0).status()).as(fault.name()).isEqualTo("done");
            assertThat(changes.get(1).status()).as(fault.name()).isEqualTo(AuditReport.INTERRUPTED);
            assertThat(changes.get(1).error()).as(fault.name()).isNotBlank();
            assertThat(changes.subList(2, changes.size())).as(fault.name())
                    .allMatch(c -> c.status().equals("pending"));
            assertThat(outcome.partialReportJson()).as(fault.name()).doesNotContain("@");

            // the next invocation resumes and completes
            assertThat(outcome.second().status()).as(fault.name()).isEqualTo("complete");
            assertThat(outcome.second().invocations()).as(fault.name()).isEqualTo(2);
            assertThat(outcome.checkpointAfterSecond()).as(fault.name()).isFalse();
            assertThat(outcome.finalReport().fixes().changes()).as(fault.name())
                    .noneMatch(c -> c.status().equals("pending") || c.status().equals(AuditReport.INTERRUPTED)
                            || c.status().equals("failed"));
            // every fix done; the merge that landed before the fault finds its lead gone (Intercom answers 404 for
            // a merged lead): no second write, and the lead is merged into its user
            List<AuditReport.Change> last = outcome.finalReport().fixes().changes();
            assertThat(last).as(fault.name()).hasSize(FixModeFaults.PLANNED_FIXES);
            for (int i = 0; i < last.size(); i++) {
                boolean landedBeforeFault = i == 1 && fault == FixModeFaults.Fault.DYNAMODB_ERROR_AFTER_MERGE;
                assertThat(last.get(i).status() + " " + last.get(i).error()).as("%s fix %d", fault, i)
                        .isEqualTo(landedBeforeFault ? "skipped gone" : "done null");
            }
            for (int i = 0; i < outcome.leads().size(); i++) {
                assertThat(sandbox.mergedInto(outcome.leads().get(i))).as(fault.name()).contains(outcome.users().get(i));
            }
            assertThat(outcome.leadsLeft()).as(fault.name()).isEmpty();
            assertThat(outcome.taggedUsers()).as(fault.name()).containsExactlyElementsOf(outcome.users());

            figures.attempted += FixModeFaults.PLANNED_FIXES;
            figures.accepted += FixModeFaults.PLANNED_FIXES;
            List<String> writes = outcome.writes();
            Set<String> distinct = new HashSet<>(writes);
            figures.duplicated += writes.size() - distinct.size();
            List<String> landed = new ArrayList<>();
            outcome.leads().stream().filter(l -> !outcome.leadsLeft().contains(l)).forEach(landed::add);
            landed.addAll(outcome.taggedUsers());
            figures.delivered += landed.size() + (distinct.stream().anyMatch(w -> w.startsWith("create-tag")) ? 1 : 0);
            assertThat(writes).as(fault.name()).doesNotHaveDuplicates().hasSize(FixModeFaults.PLANNED_FIXES);
        }
        figures.print();
        assertThat(figures.duplicated).isZero();
        assertThat(figures.lost()).isZero();
    }

    // ---------------------------------------------------------------- not configured

    /** One deployment each without one setting; every other setting as configured. */
    enum Missing {
        WEBHOOK_SIGNING_SECRET("WEBHOOK_SIGNING_SECRET_ARN", List.of("/webhooks/leads")),
        IDENTIFY_SIGNING_SECRET("IDENTIFY_SIGNING_SECRET_ARN", List.of("/webhooks/identify")),
        INTERCOM_CLIENT_SECRET("INTERCOM_CLIENT_SECRET_ARN", List.of("/webhooks/intercom")),
        INTERCOM_TOKEN("INTERCOM_TOKEN_SECRET_ARN", List.of("/webhooks/leads", "/webhooks/identify",
                "/webhooks/intercom")),
        PRIVACY_HASH_KEY("PRIVACY_HASH_KEY_ARN", List.of("/webhooks/leads", "/webhooks/identify", "/webhooks/intercom"));

        final String setting;
        final List<String> routes;

        Missing(String setting, List<String> routes) {
            this.setting = setting;
            this.routes = routes;
        }
    }

    @Test
    void notConfigured() {
        ScenarioFigures figures = new ScenarioFigures("not_configured", 120);
        for (Missing missing : Missing.values()) {
            logged.clear();
            List<String> emails = new ArrayList<>();
            int instances = 2;
            for (int instance = 0; instance < instances; instance++) {
                Deployment deployment = deployment(missing);
                for (String route : missing.routes) {
                    for (int retry = 0; retry < 3; retry++) {
                        String email = unique("unconfigured");
                        emails.add(email);
                        WebhookAnswer answer = deliver(deployment, route, email, "nc-" + UUID.randomUUID());
                        figures.attempted++;
                        assertThat(answer.status()).as("%s %s", missing, route).isEqualTo(503);
                        assertThat(answer.errorCode()).as("%s %s", missing, route).isEqualTo("not_configured");
                        assertThat(answer.body().at("/error/message").asText()).as("%s %s", missing, route)
                                .contains(missing.setting).doesNotContain("local-dev");
                    }
                }
            }
            // nothing written: not to the ledger, the queues or Intercom
            assertThat(dynalite.client().scan(r -> r.tableName(table)).items()).as("%s", missing).isEmpty();
            assertThat(receiveAll(leadQueueUrl)).as("%s", missing).isEmpty();
            assertThat(receiveAll(identifyQueueUrl)).as("%s", missing).isEmpty();
            assertThat(emails).as("%s", missing).allSatisfy(e -> assertThat(sandbox.contactsWithEmail(e)).isEmpty());
            // one line naming the setting in this process (one Lambda instance's worth), never a stack trace
            List<LogRecord> lines = logged.stream().filter(r -> String.valueOf(r.getMessage()).contains("not_configured")
                    && format(r).contains(missing.setting)).toList();
            assertThat(lines).as("%s", missing).hasSize(1);
            assertThat(lines.get(0).getLevel().intValue()).isGreaterThanOrEqualTo(Level.SEVERE.intValue());
            assertThat(logged).as("%s", missing).allSatisfy(r -> assertThat(r.getThrown()).isNull());
        }
        figures.print();
        assertThat(figures.accepted).isZero();
        assertThat(figures.lost()).isZero();
    }

    // ---------------------------------------------------------------- privacy at rest

    @Test
    void noAddressIsKeptOutsideTheQueuedPayload() {
        Deployment deployment = deployment(null);
        List<String> emails = new ArrayList<>();
        List<WebhookAnswer> answers = new ArrayList<>();
        for (int person = 0; person < 3; person++) {
            String email = unique("private-" + person);
            emails.add(email);
            answers.add(deliver(deployment, "/webhooks/leads", email, "pl-" + UUID.randomUUID()));
            answers.add(deliver(deployment, "/webhooks/identify", email, "pi-" + UUID.randomUUID()));
        }
        sandbox.faults().alwaysOnAny(Fault.status(503)); // queued: claims, queued records and messages
        for (int person = 0; person < 3; person++) {
            String email = unique("queued-" + person);
            emails.add(email);
            answers.add(deliver(deployment, "/webhooks/leads", email, "ql-" + UUID.randomUUID()));
            answers.add(deliver(deployment, "/webhooks/identify", email, "qi-" + UUID.randomUUID()));
        }
        sandbox.faults().clear();
        assertThat(answers).extracting(WebhookAnswer::status).contains(200, 202).isSubsetOf(200, 202);

        List<String> stored = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynalite.client().scan(r -> r.tableName(table)).items()) {
            item.forEach((name, value) -> stored.add(name + "=" + value.s() + value.n()));
        }
        assertThat(stored).anyMatch(s -> s.contains("email:")).anyMatch(s -> s.contains("external_id:"));
        List<Message> messages = new ArrayList<>(receiveAll(leadQueueUrl));
        messages.addAll(receiveAll(identifyQueueUrl));
        assertThat(messages).hasSize(6);
        List<String> queued = new ArrayList<>();
        for (Message message : messages) {
            queued.add(message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
            queued.add(message.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID));
            JsonNode body = read(message.body());
            queued.add(body.path("identity").asText());
            assertThat(body.path("identity").asText()).matches("(email|external_id):[0-9a-f]{64}");
            assertThat(emails).anyMatch(e -> body.path("payload").toString().contains(e)); // the payload itself
        }
        // the same person's deliveries share a group: the pseudonym is stable
        assertThat(messages.stream().map(m -> read(m.body()).path("identity").asText())).doesNotHaveDuplicates();
        List<String> lines = logged.stream().map(AuditAndConfigScenariosTest::format).toList();

        for (String email : emails) {
            String local = email.substring(0, email.indexOf('@'));
            for (List<String> kept : List.of(stored, queued, lines)) {
                assertThat(kept).noneMatch(s -> s.toLowerCase().contains(local.toLowerCase()));
            }
        }
        assertThat(lines).isNotEmpty().noneMatch(s -> s.contains("@example.com"));
    }

    // ---------------------------------------------------------------- instances

    /** A lead-capture and an identify-merge instance over the ledger and the queues, without one setting. */
    private record Deployment(LeadCaptureInstances.Instance leads, IdentifyMergeInstances.Instance identify) {
    }

    private Deployment deployment(Missing missing) {
        String lead = CommittedEvents.SIGNING_SECRET;
        String identify = CommittedEvents.IDENTIFY_SIGNING_SECRET;
        String client = CommittedEvents.CLIENT_SECRET;
        WebhookSecrets webhookSecrets = missing == null ? secrets : switch (missing) {
            case WEBHOOK_SIGNING_SECRET -> TestWebhookSecrets.of(null, identify, client, clock);
            case IDENTIFY_SIGNING_SECRET -> TestWebhookSecrets.of(lead, null, client, clock);
            case INTERCOM_CLIENT_SECRET -> TestWebhookSecrets.of(lead, identify, null, clock);
            default -> secrets;
        };
        Pseudonyms pseudonyms = missing == Missing.PRIVACY_HASH_KEY ? Pseudonyms.withKey(null) : TestPseudonyms.LOCAL;
        RequiredSettings required = missing == Missing.INTERCOM_TOKEN
                ? new RequiredSettings(TestCredentials.withToken(null), pseudonyms)
                : missing == Missing.PRIVACY_HASH_KEY
                        ? new RequiredSettings(TestCredentials.withToken("configured"), pseudonyms)
                        : settings;
        SqsDeferralQueue leadQueue = closeLater(new SqsDeferralQueue(ElasticMq.shared().client(), leadQueueUrl));
        SqsDeferralQueue identifyQueue = closeLater(new SqsDeferralQueue(ElasticMq.shared().client(),
                identifyQueueUrl));
        return new Deployment(
                LeadCaptureInstances.create(intercom, leadConfig, ledger, ledgerConfig, leadQueue, webhookSecrets,
                        budget, clock, required, pseudonyms),
                IdentifyMergeInstances.create(intercom, identifyConfig, ledger, ledgerConfig, identifyQueue,
                        webhookSecrets, budget, clock, required, pseudonyms));
    }

    private WebhookAnswer deliver(Deployment deployment, String route, String email, String key) {
        return switch (route) {
            case "/webhooks/leads" -> HandlerCalls.webhook(deployment.leads().handler(),
                    LeadCaptureInstances.event(email, key, b -> { }));
            case "/webhooks/identify" -> HandlerCalls.webhook(deployment.identify().handler(),
                    IdentifyMergeInstances.identifyEvent("ext-" + key, email, key));
            default -> HandlerCalls.webhook(deployment.identify().handler(),
                    IdentifyMergeInstances.notificationEvent("notif-" + key, "5ba682d23d7cf92bef87bf00",
                            "ext-" + key, email, clock.instant()));
        };
    }

    private List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .visibilityTimeout(60).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            all.addAll(batch);
        }
        return all;
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String format(LogRecord record) {
        Object[] parameters = record.getParameters();
        String message = String.valueOf(record.getMessage());
        if (parameters == null || parameters.length == 0) {
            return message;
        }
        try {
            return message.contains("%") ? String.format(message, parameters)
                    : java.text.MessageFormat.format(message, parameters);
        } catch (RuntimeException e) {
            return message + " " + java.util.Arrays.toString(parameters);
        }
    }

    private static String unique(String name) {
        return name + "+" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
