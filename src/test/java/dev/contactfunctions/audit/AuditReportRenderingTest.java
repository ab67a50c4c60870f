package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.lead;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.intercom.model.Contact;

class AuditReportRenderingTest {

    @TempDir
    Path dir;

    /** Two runs over the planted workspace: the second sees one lead more, and a segment with a hostile name. */
    AuditReport secondReport(AuditOptions options) {
        InMemoryWorkspace workspace = SegmentAuditServiceTest.plantedWorkspace();
        workspace.segment("seg-x", "<script>alert(\"x\")</script> & co", "contact", c -> c.id().endsWith("01"));
        LocalReportStore store = new LocalReportStore(dir);
        Clock first = Clock.fixed(TestContacts.NOW, ZoneOffset.UTC);
        new SegmentAuditService(workspace, new AuditArchive(store), new AuditMetrics("T", first, l -> { }), first,
                Duration.ofHours(1), TestPseudonyms.LOCAL).run(options, Deadline.never());
        workspace.add(lead("bbbbbbbbbbbbbbbbbbbbbb09", "new@example.com").build());
        workspace.contacts.remove("aaaaaaaaaaaaaaaaaaaaaa02");
        Clock second = Clock.fixed(TestContacts.NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        new SegmentAuditService(workspace, new AuditArchive(store), new AuditMetrics("T", second, l -> { }), second,
                Duration.ofHours(1), TestPseudonyms.LOCAL).run(options, Deadline.never());
        return new AuditArchive(store).latestReport().orElseThrow();
    }

    @Test
    void theHtmlPageIsSelfContainedWithAnInlineChart() {
        String html = HtmlReport.render(secondReport(SegmentAuditServiceTest.options(AuditMode.REPORT, false)));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").contains("<svg xmlns=\"http://www.w3.org/2000/svg\"");
        assertThat(Pattern.compile("(?i)<script|<link|<img|<iframe|\\ssrc=|url\\(|@import").matcher(html).find())
                .as("no script, no external asset").isFalse();
        assertThat(Pattern.compile("href=\"([^\"]*)\"").matcher(html).results().map(m -> m.group(1)))
                .as("the only links are contact pages in Intercom").isNotEmpty()
                .allMatch(url -> url.matches("https://app\\.intercom\\.com/a/apps/abc123de/users/[0-9a-f]{24}/all-conversations"));
        assertThat(html).contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
        assertThat(Pattern.compile("<rect ").matcher(html).results().count()).as("a bar and a previous-size outline per segment")
                .isEqualTo(6);
        assertThat(html).contains(">1 <tspan fill=\"#cf222e\">(-1)</tspan>", ">6 <tspan fill=\"#1a7f37\">(+1)</tspan>");
        assertThat(html).contains("lead " + htmlLink("bbbbbbbbbbbbbbbbbbbbbb01") + " → user " + htmlLink("aaaaaaaaaaaaaaaaaaaaaa01"));
        assertThat(html).doesNotContain("@example.com");
    }

    @Test
    void theMarkdownSummaryHasTheSegmentsTheCountsAndTheFirstItems() {
        String md = MarkdownReport.render(secondReport(SegmentAuditServiceTest.options(AuditMode.FIX, true)));

        assertThat(md).matches("(?s)# Segment audit 2026-05-02T020000Z-[0-9a-f]{8} \\(complete\\)\n.*")
                .contains("| Enterprise `seg-ent` | user | 1 | 1 | 1 | 0 | -1 |")
                .contains("| Trial leads `seg-leads` | contact | 6 | 6 | 0 | 6 | +1 |")
                .contains("| Unmerged leads (email belongs to a user) | 2 |")
                .contains("| Leads inactive for 90 days | 1 |")
                .contains("- lead " + mdLink("bbbbbbbbbbbbbbbbbbbbbb01") + " → user " + mdLink("aaaaaaaaaaaaaaaaaaaaaa01"))
                .contains("## Fixes (dry-run)")
                .contains("- planned: merge lead " + mdLink("bbbbbbbbbbbbbbbbbbbbbb01") + " into user "
                        + mdLink("aaaaaaaaaaaaaaaaaaaaaa01"))
                .contains("- planned: remove tag 'enterprise' from " + mdLink("aaaaaaaaaaaaaaaaaaaaaa05"))
                .contains("1 leads whose email belongs to several users")
                .doesNotContain("@example.com");
    }

    @Test
    void aPartialReportSaysWhereItStopped() {
        InMemoryWorkspace workspace = SegmentAuditServiceTest.plantedWorkspace();
        Clock clock = Clock.fixed(TestContacts.NOW, ZoneOffset.UTC);
        LocalReportStore store = new LocalReportStore(dir);
        AuditSummary summary = new SegmentAuditService(workspace, new AuditArchive(store), new AuditMetrics("T", clock, l -> { }),
                clock, Duration.ofHours(1), TestPseudonyms.LOCAL).run(SegmentAuditServiceTest.options(AuditMode.REPORT, false),
                        SegmentAuditServiceTest.afterSteps(1));

        String md = store.read("runs/" + summary.runId() + "/" + AuditArchive.MARKDOWN).orElseThrow();
        String html = store.read("runs/" + summary.runId() + "/" + AuditArchive.HTML).orElseThrow();
        assertThat(md).contains("> **Partial report**: stopped in phase `segments` (deadline). The next run resumes")
                .contains("| Trial leads `seg-leads` | contact | 5 | pending |");
        assertThat(html).contains("<strong>Partial report</strong>");
    }

    @Test
    void longListsAreCutWithACount() {
        InMemoryWorkspace workspace = new InMemoryWorkspace();
        for (int i = 0; i < 30; i++) {
            workspace.add(lead(String.format("ffffffffffffffffffff%04d", i), "broken" + i).build());
        }
        Clock clock = Clock.fixed(TestContacts.NOW, ZoneOffset.UTC);
        LocalReportStore store = new LocalReportStore(dir);
        AuditOptions options = SegmentAuditServiceTest.options(AuditMode.REPORT, false)
                .with(new AuditOverrides(null, null, null, null, null, null, 25, null));
        new SegmentAuditService(workspace, new AuditArchive(store), new AuditMetrics("T", clock, l -> { }), clock,
                Duration.ofHours(1), TestPseudonyms.LOCAL).run(options, Deadline.never());

        AuditReport report = new AuditArchive(store).latestReport().orElseThrow();
        assertThat(report.findings().invalidEmails().count()).isEqualTo(30);
        assertThat(report.findings().invalidEmails().items()).hasSize(25);
        assertThat(report.findings().invalidEmails().truncated()).isTrue();
        assertThat(MarkdownReport.render(report)).contains("- … and 10 more (the JSON report lists the first 25)");
        assertThat(report.findings().invalidEmails().items()).allSatisfy(i -> assertThat(i.role()).isEqualTo(Contact.ROLE_LEAD));
    }

    static String page(String contactId) {
        return "https://app.intercom.com/a/apps/" + InMemoryWorkspace.APP_ID + "/users/" + contactId + "/all-conversations";
    }

    static String mdLink(String contactId) {
        return "[`" + contactId + "`](" + page(contactId) + ")";
    }

    static String htmlLink(String contactId) {
        return "<a href=\"" + page(contactId) + "\"><code>" + contactId + "</code></a>";
    }
}
