package dev.contactfunctions.bench;

import dev.contactfunctions.testsupport.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SeedContact;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Figure 1: Intercom calls per operation, counted by the sandbox, for the functions (their handlers invoked in
 * process with real-shaped events) and for {@link NaiveIntercom} doing the same job against the same sandbox. Every
 * scenario has its own person, so that the two never see each other's contacts; the instance is warm (the
 * workspace's attributes and tags already read), as a deployed function serving a stream of deliveries is.
 */
@QuarkusTest
@TestProfile(BenchProfile.ApiCalls.class)
@WithTestResource(BenchSandbox.class)
class ApiCallsBenchmark {

    private static final List<String> FORM_TAGS = List.of("pricing-page", "spring-launch");
    private static final Map<String, Object> LEAD_ATTRIBUTES = Map.of("utm_source", "google", "utm_medium", "cpc",
            "landing_page", "https://www.example.com/pricing");

    @BenchSandbox.Inject
    BenchSandbox sandboxes;

    private final List<Object[]> rows = new ArrayList<>();
    private IntercomSandbox sandbox;
    private NaiveIntercom naive;
    private List<String> formTagIds;

    @Test
    void apiCallsPerOperationBesideTheNaiveApproach() {
        String loadBefore = Machine.loadAverage();
        sandbox = sandboxes.current();
        naive = new NaiveIntercom(sandbox.baseUrl(), sandbox.accessToken());
        warmUp();

        leadCapture();
        identifyAndMerge();
        audit(BenchMode.current());

        Table table = new Table("operation", "ours", "naive", "naive ÷ ours", "ours: calls", "naive: calls",
                "naive's outcome");
        rows.forEach(table::row);
        String body = table.markdown() + "\n" + """
                *ours*: the function's handler, invoked in process with the committed event (`infra/events`),
                re-signed, on a warm instance; calls counted by the sandbox. *naive*: what common Intercom integrations
                do, written in the benchmark (`NaiveIntercom`) and run against the same
                sandbox: lead capture searches the email, updates the first hit or creates a lead, then tags it
                (tag ids known in advance); identify searches for the user by external_id OR email, updates or
                creates it, searches the person's leads and, per lead, copies its attributes with an update and
                merges it; the audit lists the contacts and asks for each contact's segments
                (`GET /contacts/{id}/segments`), where ours searches each segment's members (`segment_id`, 150 a
                page) and lists the contacts once. Neither has a ledger or an idempotency key. A ratio above 1
                means the naive approach spends more calls. Where ours reads a known lead by id instead of
                searching, the id comes from its identity ledger (in memory here; in AWS a DynamoDB read, not an
                Intercom call). Ours never makes more calls than the naive way: on a sign-up with few leads as
                many, its lag-free `find_by_external_id` (which the last identify row needs) in place of the naive
                second search. The audit runs on a fresh generated workspace
                (`BenchWorkspace`: 60% users, 40% leads; the segments overlap, a contact is in several).
                """ + "\nLoad average (1 / 5 / 15 min) before: " + loadBefore + "; after: "
                + Machine.loadAverage() + ".\n";
        BenchReport.write(BenchReport.Section.API_CALLS, body, List.of());
    }

    private void warmUp() {
        sandbox.defineDataAttribute("plan", "string");
        assertThat(lead(newEmail("warm-up"), key(), Map.of())).isEqualTo(200);
        assertThat(identify("warm-up-" + UUID.randomUUID(), newEmail("warm-up"))).isEqualTo(200);
        formTagIds = FORM_TAGS.stream().map(sandbox::defineTag).toList();
    }

    // ---- lead capture

    private void leadCapture() {
        Map<String, Object> attributes = formAttributes();

        String email = newEmail("new");
        String naiveEmail = newEmail("naive-new");
        compare("Lead capture: new lead (form with 2 tags)",
                () -> assertThat(lead(email, key(), Map.of())).isEqualTo(200),
                () -> naive.captureLead(naiveEmail, "Ada Lovelace", attributes, formTagIds), naiveEmail);

        String same = newEmail("same");
        String naiveSame = newEmail("naive-same");
        lead(same, key(), Map.of());
        naive.captureLead(naiveSame, "Ada Lovelace", attributes, formTagIds);
        compare("Lead capture: known lead sends the same form again",
                () -> assertThat(lead(same, key(), Map.of())).isEqualTo(200),
                () -> naive.captureLead(naiveSame, "Ada Lovelace", attributes, formTagIds), naiveSame);

        String changed = newEmail("changed");
        String naiveChanged = newEmail("naive-changed");
        lead(changed, key(), Map.of());
        naive.captureLead(naiveChanged, "Ada Lovelace", attributes, formTagIds);
        Map<String, Object> newCampaign = new LinkedHashMap<>(attributes);
        newCampaign.put("utm_campaign", "autumn_launch");
        compare("Lead capture: known lead, new campaign values",
                () -> assertThat(lead(changed, key(), Map.of("utm_campaign", "autumn_launch"))).isEqualTo(200),
                () -> naive.captureLead(naiveChanged, "Ada Lovelace", newCampaign, formTagIds), naiveChanged);

        String retried = newEmail("retried");
        String naiveRetried = newEmail("naive-retried");
        String retryKey = key();
        lead(retried, retryKey, Map.of());
        naive.captureLead(naiveRetried, "Ada Lovelace", attributes, formTagIds);
        compare("Lead capture: the sender retries a delivery (same Idempotency-Key)",
                () -> assertThat(lead(retried, retryKey, Map.of())).isEqualTo(200),
                () -> naive.captureLead(naiveRetried, "Ada Lovelace", attributes, formTagIds), naiveRetried);

        sandbox.setSearchLag(Duration.ofMinutes(1));
        String lagging = newEmail("lagging");
        String naiveLagging = newEmail("naive-lagging");
        lead(lagging, key(), Map.of());
        naive.captureLead(naiveLagging, "Ada Lovelace", attributes, formTagIds);
        compare("Lead capture: same person again while search lags (1 min)",
                () -> assertThat(lead(lagging, key(), Map.of())).isEqualTo(200),
                () -> naive.captureLead(naiveLagging, "Ada Lovelace", attributes, formTagIds), naiveLagging);
        assertThat(sandbox.contactsWithEmail(lagging)).hasSize(1);
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.indexNow();
    }

    /** What the committed form event writes, for the naive lead capture to write as well. */
    private static Map<String, Object> formAttributes() {
        ObjectNode body = BenchEvents.body(BenchEvents.LEAD_CAPTURE);
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String field : List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
                "landing_page", "referrer")) {
            attributes.put(field, body.get(field).asText());
        }
        body.get("custom_attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(),
                BenchEvents.JSON.convertValue(e.getValue(), Object.class)));
        return attributes;
    }

    // ---- identify and merge

    private void identifyAndMerge() {
        for (int leads : List.of(0, 1, 5)) {
            String externalId = "bench-" + UUID.randomUUID();
            String email = newEmail("signup");
            String naiveExternalId = "naive-" + UUID.randomUUID();
            String naiveEmail = newEmail("naive-signup");
            addLeads(email, leads);
            addLeads(naiveEmail, leads);
            compare("Identify: sign-up with " + leads + (leads == 1 ? " lead" : " leads") + " to merge",
                    () -> assertThat(identify(externalId, email)).isEqualTo(200),
                    () -> naive.identify(naiveExternalId, naiveEmail, "Ada Lovelace", Map.of("plan", "enterprise")),
                    naiveEmail);
            if (leads == 0) {
                compare("Identify: the same user logs in again",
                        () -> assertThat(identify(externalId, email)).isEqualTo(200),
                        () -> naive.identify(naiveExternalId, naiveEmail, "Ada Lovelace", Map.of("plan", "enterprise")),
                        naiveEmail);
            }
        }
        sandbox.setSearchLag(Duration.ofMinutes(1));
        String externalId = "bench-" + UUID.randomUUID();
        String email = newEmail("twice");
        String naiveExternalId = "naive-" + UUID.randomUUID();
        String naiveEmail = newEmail("naive-twice");
        identify(externalId, email);
        naive.identify(naiveExternalId, naiveEmail, "Ada Lovelace", Map.of("plan", "enterprise"));
        compare("Identify: the same sign-up again while search lags (1 min)",
                () -> assertThat(identify(externalId, email)).isEqualTo(200),
                () -> naive.identify(naiveExternalId, naiveEmail, "Ada Lovelace", Map.of("plan", "enterprise")),
                naiveEmail);
        sandbox.setSearchLag(Duration.ZERO);
        sandbox.indexNow();
    }

    // ---- the audit

    /** The audit (report mode, default options) of a fresh generated workspace, ours and one contact at a time. */
    private void audit(BenchMode mode) {
        sandbox = sandboxes.fresh();
        BenchWorkspace.seed(sandbox, new BenchWorkspace.Shape(mode.auditContacts, mode.auditSegments), 42);
        int contacts = sandbox.contacts().size();
        CallCount ours = CallCount.of(sandbox, () -> {
            JsonNode summary = auditOnce();
            assertThat(summary.path("status").asText()).as(summary.toString()).isEqualTo("complete");
            assertThat(summary.path("contactsScanned").asLong()).isEqualTo(contacts);
        });
        NaiveIntercom oneAtATime = new NaiveIntercom(sandbox.baseUrl(), sandbox.accessToken());
        CallCount naiveCount = CallCount.of(sandbox, () -> assertThat(oneAtATime.auditOneContactAtATime())
                .isEqualTo(contacts));
        rows.add(new Object[] { String.format("Audit: %,d contacts in %d segments", contacts, mode.auditSegments),
                String.format("%,d", ours.total()), String.format("%,d", naiveCount.total()),
                ratio(naiveCount.total(), ours.total()), ours.breakdown(), naiveCount.breakdown(), "ok" });
    }

    static JsonNode auditOnce() {
        byte[] summary = InProcessFunctions.invoke(InProcessFunctions.handler("segment-audit"), ScheduledEvent.class,
                BenchEvents.event(BenchEvents.SCHEDULE).toString().getBytes(),
                new TestLambdaContext("SegmentAuditFunction", Duration.ofMinutes(15)));
        try {
            return BenchEvents.JSON.readTree(summary);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void addLeads(String email, int count) {
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            SeedContact lead = SeedContact.lead(email).createdAt(now.minus(Duration.ofDays(count - i)));
            LEAD_ATTRIBUTES.forEach(lead::attribute);
            sandbox.addContact(lead);
        }
    }

    // ---- the comparison

    /**
     * Counts the function's calls and the naive approach's for the same operation, and what the naive approach left
     * behind: the contacts with its person's email (more than one is a duplicate), or the error it ended with.
     */
    private void compare(String operation, Runnable ours, Runnable naiveRun, String naiveEmail) {
        CallCount oursCount = CallCount.of(sandbox, ours);
        String[] outcome = { "" };
        CallCount naiveCount = CallCount.of(sandbox, () -> {
            try {
                naiveRun.run();
            } catch (IllegalStateException refused) {
                outcome[0] = "fails: " + refused.getMessage().replaceAll(":.*", "").replaceAll("\\s+", " ");
            }
        });
        if (outcome[0].isEmpty()) {
            int contacts = sandbox.contactsWithEmail(naiveEmail).size();
            outcome[0] = contacts > 1 ? "**" + (contacts - 1) + " duplicate" + (contacts > 2 ? "s" : "") + "**" : "ok";
        }
        rows.add(new Object[] { operation, oursCount.total(), naiveCount.total(),
                ratio(naiveCount.total(), oursCount.total()), oursCount.breakdown(), naiveCount.breakdown(),
                outcome[0] });
    }

    static String ratio(long naive, long ours) {
        if (ours == 0) {
            return naive == 0 ? "1" : "∞ (ours: none)";
        }
        return String.format("%.2f", (double) naive / ours);
    }

    // ---- invoking the handlers

    private int lead(String email, String idempotencyKey, Map<String, String> changes) {
        ObjectNode body = BenchEvents.body(BenchEvents.LEAD_CAPTURE).put("email", email);
        changes.forEach(body::put);
        ObjectNode event = BenchEvents.signed(BenchEvents.LEAD_CAPTURE, body);
        BenchEvents.header(event, "idempotency-key", idempotencyKey);
        return webhook("lead-capture", "LeadCaptureFunction", event);
    }

    private int identify(String externalId, String email) {
        ObjectNode body = BenchEvents.body(BenchEvents.IDENTIFY).put("external_id", externalId).put("email", email);
        return webhook("identify-merge", "IdentifyMergeFunction", BenchEvents.signed(BenchEvents.IDENTIFY, body));
    }

    private static int webhook(String handlerName, String functionName, ObjectNode event) {
        byte[] answer = InProcessFunctions.invoke(InProcessFunctions.handler(handlerName), APIGatewayV2HTTPEvent.class,
                event.toString().getBytes(), new TestLambdaContext(functionName, Duration.ofSeconds(15)));
        return InProcessFunctions.statusOf(answer);
    }

    private static String newEmail(String name) {
        return name + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static String key() {
        return "bench-" + UUID.randomUUID();
    }
}
