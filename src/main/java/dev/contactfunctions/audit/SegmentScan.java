package dev.contactfunctions.audit;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.Segment;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One audited segment: what Intercom says of it, and the members counted so far. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
record SegmentScan(String id, String name, String personType, Integer intercomCount, ScanState scan, long members,
        long users, long leads) {

    SegmentScan(Segment segment) {
        this(segment.id(), segment.name(), segment.personType(), segment.count(), ScanState.PENDING, 0, 0, 0);
    }

    SegmentScan withMember(Contact contact) {
        return new SegmentScan(id, name, personType, intercomCount, ScanState.IN_PROGRESS, members + 1,
                users + (contact.isUser() ? 1 : 0), leads + (!contact.isUser() && contact.isLead() ? 1 : 0));
    }

    SegmentScan completed() {
        return new SegmentScan(id, name, personType, intercomCount, ScanState.COMPLETE, members, users, leads);
    }

    /** The members counted, once every one of them has been: null before. */
    Long membersCounted() {
        return scan == ScanState.COMPLETE ? members : null;
    }
}
