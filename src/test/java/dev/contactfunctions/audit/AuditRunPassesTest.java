package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static dev.contactfunctions.audit.TestContacts.user;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.testsupport.TestPseudonyms;

/**
 * With calls in flight, the contacts pass is opened while the segments are read: without tag rules its pages are
 * counted as they come, whichever pass ends first; with tag rules its pages wait for the segments' end.
 */
class AuditRunPassesTest {

    private static final long TODAY = ReadSlice.dayOf(NOW.getEpochSecond());
    private static final Segment VIP = new Segment("s1", "VIP", "user", 1, 0L, 0L);
    private static final Contact ANN = user("aaaaaaaaaaaaaaaaaaaaaa01", "ann@example.com").tags("t1").build();
    private static final Contact BOB = lead("bbbbbbbbbbbbbbbbbbbbbb01", "bob@example.com").build();

    @Test
    void withoutTagRulesAContactsPassThatEndsBeforeTheSegmentsIsNotReadAgain() {
        AuditOptions options = options(Map.of());
        AuditRun run = AuditRun.start(NOW, options);
        run.planSegments(List.of(VIP), List.of(), options);
        ReadChain everyone = run.openContactsPassAhead().orElseThrow();
        ReadChain vip = run.reads.get(0);

        assertThat(run.readAhead(everyone)).as("read and counted alongside the segments").isFalse();
        assertThat(feed(run, everyone, page(ANN, BOB), options)).isEmpty();
        assertThat(run.tally.contacts).isEqualTo(2);
        assertThat(run.segmentsRead()).isFalse();
        assertThat(feed(run, vip, page(ANN), options)).isEmpty();
        assertThat(run.segmentsRead()).isTrue();

        assertThat(run.readPhaseDone(options)).as("no second contacts pass").isEmpty();
        assertThat(run.phase).isEqualTo(AuditRun.Phase.DONE);
        assertThat(run.tally.contacts).isEqualTo(2);
        assertThat(run.tally.scanned).isTrue();
    }

    @Test
    void withTagRulesTheContactsPassWaitsForTheSegmentsEnd() {
        AuditOptions options = options(Map.of("VIP", List.of("vip")));
        AuditRun run = AuditRun.start(NOW, options);
        run.planSegments(List.of(VIP), List.of(new Tag("t1", "vip")), options);
        ReadChain everyone = run.openContactsPassAhead().orElseThrow();

        assertThat(run.readAhead(everyone)).as("its pages count only once every segment member is known").isTrue();
        assertThat(run.splitAhead(everyone, page(ANN, BOB), 8, TODAY)).as("too short to split: the page waits")
                .isEmpty();
        assertThat(run.tally.contacts).isZero();
        feed(run, run.reads.get(0), page(ANN), options);
        assertThat(run.segmentsRead()).isTrue();

        assertThat(run.readPhaseDone(options)).isEmpty();
        assertThat(run.phase).isEqualTo(AuditRun.Phase.CONTACTS);
        assertThat(run.reads).containsExactly(everyone);
    }

    private static List<ReadChain> feed(AuditRun run, ReadChain chain, ContactPage page, AuditOptions options) {
        return run.pageRead(chain, page, options, 8, TODAY, TestPseudonyms.LOCAL);
    }

    private static ContactPage page(Contact... contacts) {
        return new ContactPage(List.of(contacts), contacts.length, null);
    }

    private static AuditOptions options(Map<String, List<String>> segmentTags) {
        return new AuditOptions(AuditMode.REPORT, false, new AuditOptions.Segments(List.of(), List.of()),
                new AuditRules(Map.of(), segmentTags), new AuditOptions.Caps(10, 10), 90, 100);
    }
}
