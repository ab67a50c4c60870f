package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.TestPseudonyms;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The report a person acts on, against the sandbox through the shared client: every contact it names is a link to its
 * page in Intercom (app id and region from one {@code GET /me} per run), inactive leads are listed with links up to the
 * cap, the footnote says what an email fingerprint is, and no email, name or phone number reaches a report file.
 */
@QuarkusTest
@TestProfile(SegmentAuditProfile.class)
@WithTestResource(AuditSandbox.class)
class AuditReportLinksTest {

    static final Instant NOW = AuditSeeds.BASE;
    static final String USER = "65a0000000000000000000a1";
    static final String LEAD_OF_USER = "65a0000000000000000000b1";
    static final String INVALID = "65a0000000000000000000c1";
    static final List<String> INACTIVE = List.of("65a0000000000000000000d1", "65a0000000000000000000d2",
            "65a0000000000000000000d3", "65a0000000000000000000d4", "65a0000000000000000000d5");
    static final int CAP = 3;

    /** Every personal value seeded: none may appear in a report file, in any spelling. */
    final List<String> personal = new ArrayList<>();

    @InjectAuditSandbox
    AuditSandbox sandboxes;

    @Inject
    AuditWorkspace workspace;

    @TempDir
    Path store;

    IntercomSandbox sandbox;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void seed() {
        sandbox = sandboxes.fresh();
        CircuitBreakerMaintenance.get().resetAll();
        add(SeedContact.user("ext-grace", "Grace.Hopper@Example.com").id(USER).name("Grace Hopper")
                .phone("+14155550101").createdAt(NOW.minus(Duration.ofDays(30))).lastSeenAt(NOW.minus(Duration.ofDays(1))),
                "Grace.Hopper@Example.com", "Grace Hopper", "+14155550101");
        add(SeedContact.lead("grace.hopper@example.com").id(LEAD_OF_USER).name("G. Hopper").phone("+14155550102")
                .createdAt(NOW.minus(Duration.ofDays(3))), "grace.hopper@example.com", "G. Hopper", "+14155550102");
        add(SeedContact.lead("ada lovelace@example.org").id(INVALID).name("Ada Lovelace").phone("+442079460000")
                .createdAt(NOW.minus(Duration.ofDays(2))), "ada lovelace@example.org", "Ada Lovelace", "+442079460000");
        for (int i = 0; i < INACTIVE.size(); i++) {
            String email = "quiet.lead." + i + "@example.net";
            String name = "Quiet Lead Number" + i;
            String phone = "+3120555010" + i;
            add(SeedContact.lead(email).id(INACTIVE.get(i)).name(name).phone(phone)
                    .createdAt(NOW.minus(Duration.ofDays(400 + i))).lastSeenAt(NOW.minus(Duration.ofDays(200 + i))),
                    email, name, phone);
        }
        sandbox.stats().reset();
    }

    private void add(SeedContact contact, String... values) {
        sandbox.addContact(contact);
        for (String value : values) {
            personal.add(value);
            personal.add(value.toLowerCase(Locale.ROOT));
        }
    }

    static String page(String contactId) {
        return "https://app.intercom.com/a/apps/sandbox0/users/" + contactId + "/all-conversations";
    }

    AuditOptions options() {
        return new AuditOptions(AuditMode.REPORT, false, new AuditOptions.Segments(List.of(), List.of()),
                new AuditRules(Map.of(), Map.of()), new AuditOptions.Caps(50, 200), 150, CAP);
    }

    SegmentAuditService service() {
        return new SegmentAuditService(workspace, new AuditArchive(new LocalReportStore(store)),
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), TestPseudonyms.LOCAL);
    }

    String file(AuditSummary summary, String name) throws IOException {
        return Files.readString(store.resolve("runs/" + summary.runId() + "/" + name));
    }

    @Test
    void everyNamedContactLinksToItsPageAndInactiveLeadsAreListedUpToTheCap() throws IOException {
        AuditSummary summary = service().run(options(), Deadline.never());

        assertThat(summary.status()).isEqualTo("complete");
        JsonNode json = AuditJson.MAPPER.readTree(file(summary, AuditArchive.JSON));
        JsonNode inactive = json.at("/findings/inactiveLeads");
        assertThat(inactive.get("count").asLong()).isEqualTo(5);
        assertThat(inactive.get("truncated").asBoolean()).isTrue();
        assertThat(inactive.get("items").findValuesAsText("contactId")).containsExactlyElementsOf(INACTIVE.subList(0, CAP));
        assertThat(inactive.get("items").findValuesAsText("lastActivityAt"))
                .containsExactly("2025-06-15T00:00:00Z", "2025-06-14T00:00:00Z", "2025-06-13T00:00:00Z");
        Map<String, String> expected = new TreeMap<>();
        for (String id : List.of(USER, LEAD_OF_USER, INVALID, INACTIVE.get(0), INACTIVE.get(1), INACTIVE.get(2))) {
            expected.put(id, page(id));
        }
        assertThat(AuditJson.MAPPER.convertValue(json.get("contactLinks"), Map.class)).isEqualTo(Map.of(
                "appId", "sandbox0", "region", "US", "urls", expected));
        assertThat(AuditReportSchema.validate(json)).isEmpty();

        String md = file(summary, AuditArchive.MARKDOWN);
        assertThat(md).contains("| Leads inactive for 150 days | 5 |")
                .contains("### Leads inactive for 150 days\n\n"
                        + "- lead [`" + INACTIVE.get(0) + "`](" + page(INACTIVE.get(0)) + "): last active 2025-06-15T00:00:00Z\n"
                        + "- lead [`" + INACTIVE.get(1) + "`](" + page(INACTIVE.get(1)) + "): last active 2025-06-14T00:00:00Z\n"
                        + "- lead [`" + INACTIVE.get(2) + "`](" + page(INACTIVE.get(2)) + "): last active 2025-06-13T00:00:00Z\n"
                        + "- … and 2 more (the JSON report lists the first 3)\n")
                .contains("- lead [`" + LEAD_OF_USER + "`](" + page(LEAD_OF_USER) + ") → user [`" + USER + "`](" + page(USER) + ")")
                .contains("- lead [`" + INVALID + "`](" + page(INVALID) + "): contains whitespace")
                .doesNotContain(INACTIVE.get(3)).doesNotContain(INACTIVE.get(4));

        String html = file(summary, AuditArchive.HTML);
        assertThat(html).contains("<summary>Leads inactive for 150 days (5)</summary>")
                .contains("<li>lead <a href=\"" + page(INACTIVE.get(0)) + "\"><code>" + INACTIVE.get(0)
                        + "</code></a>: last active 2025-06-15T00:00:00Z</li>")
                .contains("lead <a href=\"" + page(LEAD_OF_USER) + "\"><code>" + LEAD_OF_USER + "</code></a> → user <a href=\""
                        + page(USER) + "\"><code>" + USER + "</code></a>")
                .doesNotContain(INACTIVE.get(3)).doesNotContain(INACTIVE.get(4));
    }

    @Test
    void noReportFileHoldsAnEmailANameOrAPhoneNumber() throws IOException {
        AuditSummary summary = service().run(options(), Deadline.never());

        assertThat(personal).hasSize(2 * 3 * 8);
        for (String name : List.of(AuditArchive.JSON, AuditArchive.MARKDOWN, AuditArchive.HTML)) {
            String report = file(summary, name);
            assertThat(report).as(name).contains(page(USER));
            for (String value : personal) {
                assertThat(report).as(name).doesNotContain(value);
            }
            assertThat(report).as(name + ": nothing of the admin GET /me describes")
                    .doesNotContain("admin@sandbox.invalid").doesNotContain("Sandbox Admin").doesNotContain("@example");
        }
    }

    @Test
    void theFootnoteSaysFingerprintsAreKeyedHashesNobodyCanReverseWithoutTheKey() throws IOException {
        AuditSummary summary = service().run(options(), Deadline.never());

        String note = "Contacts are named by Intercom id, each a link to its page in Intercom. Emails are named by"
                + " fingerprint: the first 12 hex digits of the HMAC-SHA256 of the trimmed, lower-cased address under this"
                + " deployment's privacy key. The same address always has the same fingerprint (in this report, in the"
                + " logs and in later runs, while the key stays), but without the key nobody can compute a fingerprint"
                + " from an address or tell which address a fingerprint stands for.";
        String md = file(summary, AuditArchive.MARKDOWN);
        String html = file(summary, AuditArchive.HTML);
        assertThat(md).endsWith("\n---\n\n" + note + "\n");
        assertThat(html).contains("<p class=\"muted\">" + note.replace("'", "&#39;") + "</p>\n</body>");
        assertThat(md + html).doesNotContain("SHA-256 of the lower-cased address");
    }

    @Test
    void getMeIsAskedOncePerRunEvenWhenTheRunTakesSeveralInvocations() {
        List<AuditSummary> invocations = new ArrayList<>();
        AuditSummary last;
        do {
            last = service().run(options(), SegmentAuditServiceTest.afterSteps(0));
            invocations.add(last);
        } while (last.resumeNeeded() && invocations.size() < 20);

        assertThat(invocations).hasSizeGreaterThan(1);
        assertThat(last.status()).isEqualTo("complete");
        assertThat(sandbox.stats().snapshot()).containsOnlyKeys("GET /me", "GET /segments", "GET /contacts")
                .containsEntry("GET /me", Map.of(200, 1L));
        assertThat(SegmentAuditSandboxTest.report(store).contactUrl(USER)).isEqualTo(page(USER));

        service().run(options(), Deadline.never());
        assertThat(sandbox.stats().calls(Endpoint.ME)).as("a new run asks again").isEqualTo(2);
    }
}
