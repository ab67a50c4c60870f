package dev.contactfunctions.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.contactfunctions.intercom.model.ContactPage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One chain of cursor pages: a slice, the cursor of its next page (null: the first), its total once known. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record ReadChain(ReadSlice slice, String cursor, Integer total, int pagesRead) {

    ReadChain(ReadSlice slice) {
        this(slice, null, null, 0);
    }

    /** The chain once this page is read: at the page's next cursor, with the total its first page told. */
    ReadChain after(ContactPage page, String nextCursor) {
        return new ReadChain(slice, nextCursor, cursor == null ? page.totalCount() : total, pagesRead + 1);
    }

    /** Pages still to read: unknown (a first page, which may split the slice) counts as the most. */
    long pagesLeft() {
        return total == null ? Long.MAX_VALUE : pages(total) - pagesRead;
    }

    static long pages(long contacts) {
        return Math.max(1, (contacts + AuditWorkspace.PAGE_SIZE - 1) / AuditWorkspace.PAGE_SIZE);
    }
}
