package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;

/** How a slice is split from what its first page tells. */
class ReadSliceTest {

    static final long DAY = ReadSlice.DAY_SECONDS;
    static final long TODAY = 20_000;

    @Test
    void aSliceWithinTheLongestChainIsReadAsItIs() {
        assertThat(ReadSlice.segment("s1").split(firstPage(8 * 150, 19_000), 8, TODAY)).isEmpty();
        assertThat(ReadSlice.everyone().split(firstPage(8 * 150, 19_000), 8, TODAY)).isEmpty();
    }

    @Test
    void aLongListingIsReadAsOneSearchPerRole() {
        assertThat(ReadSlice.everyone().split(firstPage(8 * 150 + 1, 19_000), 8, TODAY)).containsExactly(
                new ReadSlice(null, "user", null, null), new ReadSlice(null, "lead", null, null));
    }

    @Test
    void aLongSearchIsCutIntoRangesOfDaysFromItsOldestContactToTodayWithoutGapOrOverlap() {
        List<ReadSlice> parts = ReadSlice.segment("s1").split(firstPage(40 * 150, 19_000), 8, TODAY);

        assertThat(parts).hasSize(5).allSatisfy(p -> assertThat(p.segmentId()).isEqualTo("s1"));
        assertThat(parts.get(0).fromDay()).as("nothing older is left out").isNull();
        assertThat(parts.get(4).toDay()).as("nor anything created from today on").isNull();
        for (int i = 1; i < parts.size(); i++) {
            assertThat(parts.get(i).fromDay()).isEqualTo(parts.get(i - 1).toDay());
        }
        assertThat(parts.get(0).toDay()).isEqualTo(19_000 + 1_001 / 5);
    }

    @Test
    void aRangeIsCutAgainWithinItsBoundsButNeverBelowOneDay() {
        List<ReadSlice> parts = new ReadSlice("s1", null, 19_000L, 19_004L).split(firstPage(100 * 150, 19_000), 8,
                TODAY);

        assertThat(parts).containsExactly(new ReadSlice("s1", null, 19_000L, 19_001L),
                new ReadSlice("s1", null, 19_001L, 19_002L), new ReadSlice("s1", null, 19_002L, 19_003L),
                new ReadSlice("s1", null, 19_003L, 19_004L));
        assertThat(new ReadSlice("s1", null, 19_000L, 19_001L).split(firstPage(100 * 150, 19_000), 8, TODAY))
                .as("one day cannot be cut: read as one chain").isEmpty();
    }

    @Test
    void boundariesAreTheSameInstantOnBothSidesOfACut() {
        assertThat(ReadSlice.boundary(19_000)).isEqualTo(19_000 * DAY + DAY / 2);
        assertThat(ReadSlice.dayOf(ReadSlice.boundary(19_000))).isEqualTo(19_000);
    }

    private static ContactPage firstPage(int total, long oldestDay) {
        Contact oldest = new Contact("c1", Contact.ROLE_USER, null, "a@example.com", null, null, oldestDay * DAY + 3_600,
                null, null, null, null, null);
        List<Contact> contacts = total == 0 ? List.of() : Collections.nCopies(Math.min(total, 150), oldest);
        return new ContactPage(contacts, total, new ContactPage.Pages(1, 150, (total + 149) / 150, null));
    }
}
