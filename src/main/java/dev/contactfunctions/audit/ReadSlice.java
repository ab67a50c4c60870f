package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.List;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A part of one read pass that is read as one chain of cursor pages: a segment's members ({@code segmentId}) or all
 * contacts (null), optionally of one {@code role}, optionally created in a range of days {@code [fromDay, toDay)}
 * (days since the epoch; null for an open end). The whole contact listing is the slice with nothing set.
 *
 * <p>Intercom matches timestamps by calendar day of the workspace's time zone, so a range is a whole number of days;
 * its ends are written as the instants {@link #boundary(long)}, the same instant on both sides of a cut, so that
 * consecutive ranges neither overlap nor leave a gap.
 */
@RegisterForReflection
record ReadSlice(String segmentId, String role, Long fromDay, Long toDay) {

    static final long DAY_SECONDS = 86_400;

    static ReadSlice segment(String segmentId) {
        return new ReadSlice(segmentId, null, null, null);
    }

    static ReadSlice everyone() {
        return new ReadSlice(null, null, null, null);
    }

    /** The plain listing of all contacts ({@code GET /contacts}), not a search. */
    boolean isListing() {
        return segmentId == null && role == null && fromDay == null && toDay == null;
    }

    /** Whether the slice is a whole pass (all contacts, or all of one role), not a range of days of one. */
    boolean isWholePass() {
        return segmentId == null && fromDay == null && toDay == null;
    }

    /** Noon UTC of the day: within the same calendar day for every workspace time zone from UTC-11 to UTC+11. */
    static long boundary(long day) {
        return day * DAY_SECONDS + DAY_SECONDS / 2;
    }

    static long dayOf(long epochSecond) {
        return Math.floorDiv(epochSecond, DAY_SECONDS);
    }

    /**
     * The slices to read instead of this one, decided from its first page (sorted by {@code created_at} ascending,
     * so its first contact is the slice's oldest): none while the slice is at most {@code maxPages} pages long, as
     * {@code total_count} tells, or cannot be cut further (one day); else the listing is cut by role, and a search
     * into {@code ceil(pages / maxPages)} ranges of days, evenly between the oldest contact's day and
     * {@code today}. A range that turns out longer (contacts are rarely spread evenly) is cut again once its own
     * first page tells.
     */
    List<ReadSlice> split(ContactPage firstPage, long maxPages, long today) {
        Integer total = firstPage.totalCount();
        if (total == null) {
            return List.of();
        }
        long pages = (total + AuditWorkspace.PAGE_SIZE - 1) / AuditWorkspace.PAGE_SIZE;
        if (pages <= maxPages) {
            return List.of();
        }
        if (isListing()) {
            return List.of(new ReadSlice(null, Contact.ROLE_USER, null, null),
                    new ReadSlice(null, Contact.ROLE_LEAD, null, null));
        }
        Long oldest = firstPage.contacts().isEmpty() ? null : firstPage.contacts().get(0).createdAt();
        if (oldest == null) {
            return List.of();
        }
        long low = fromDay == null ? dayOf(oldest) : Math.max(fromDay, dayOf(oldest));
        long high = toDay == null ? Math.max(today + 1, low + 1) : toDay;
        long days = high - low;
        long parts = Math.min(days, (pages + maxPages - 1) / maxPages);
        if (parts < 2) {
            return List.of();
        }
        List<ReadSlice> slices = new ArrayList<>();
        Long from = fromDay;
        for (long i = 1; i < parts; i++) {
            long cut = low + days * i / parts;
            slices.add(new ReadSlice(segmentId, role, from, cut));
            from = cut;
        }
        slices.add(new ReadSlice(segmentId, role, from, toDay));
        return slices;
    }
}
