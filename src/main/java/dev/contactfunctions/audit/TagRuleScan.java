package dev.contactfunctions.audit;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.contactfunctions.audit.ContactChecks.TagPresence;
import dev.contactfunctions.intercom.model.Contact;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One tag rule of one audited segment: its members without the tag ({@code missing}), the contacts outside it with
 * the tag ({@code extra}), and the contacts whose tags could not be told ({@code unverifiable}). The tag is null when
 * the workspace has no tag of that name: every member then lacks it.
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
final class TagRuleScan {

    private final String segmentId;
    private final String segmentName;
    private final String tagName;
    private final String tagId;
    private final FindingList<String> missing;
    private final FindingList<String> extra;
    private long unverifiable;

    TagRuleScan(SegmentScan segment, String tagName, String tagId, int limit) {
        this(segment.id(), segment.name(), tagName, tagId, new FindingList<>(limit), new FindingList<>(limit), 0);
    }

    @JsonCreator
    TagRuleScan(@JsonProperty("segmentId") String segmentId, @JsonProperty("segmentName") String segmentName,
            @JsonProperty("tagName") String tagName, @JsonProperty("tagId") String tagId,
            @JsonProperty("missing") FindingList<String> missing, @JsonProperty("extra") FindingList<String> extra,
            @JsonProperty("unverifiable") long unverifiable) {
        this.segmentId = segmentId;
        this.segmentName = segmentName;
        this.tagName = tagName;
        this.tagId = tagId;
        this.missing = missing;
        this.extra = extra;
        this.unverifiable = unverifiable;
    }

    void checkMember(Contact member) {
        TagPresence presence = tagId == null ? TagPresence.NO : ContactChecks.tagPresence(member, tagId);
        if (presence == TagPresence.NO) {
            missing.add(member.id());
        } else if (presence == TagPresence.UNKNOWN) {
            unverifiable++;
        }
    }

    void checkContact(Contact contact, Set<String> members) {
        if (tagId == null || members == null || members.contains(contact.id())) {
            return;
        }
        TagPresence presence = ContactChecks.tagPresence(contact, tagId);
        if (presence == TagPresence.YES) {
            extra.add(contact.id());
        } else if (presence == TagPresence.UNKNOWN) {
            unverifiable++;
        }
    }

    AuditReport.TagRule toReport() {
        return new AuditReport.TagRule(segmentId, segmentName, tagName, tagId, AuditReport.Listed.of(missing),
                AuditReport.Listed.of(extra), unverifiable);
    }

    @JsonProperty
    String segmentId() {
        return segmentId;
    }

    @JsonProperty
    String segmentName() {
        return segmentName;
    }

    @JsonProperty
    String tagName() {
        return tagName;
    }

    @JsonProperty
    String tagId() {
        return tagId;
    }

    @JsonProperty
    FindingList<String> missing() {
        return missing;
    }

    @JsonProperty
    FindingList<String> extra() {
        return extra;
    }

    @JsonProperty
    long unverifiable() {
        return unverifiable;
    }
}
