package dev.contactfunctions.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.contactfunctions.audit.AuditReport.MissingAttributes;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;

/**
 * The audited segments and the rules checked on their members and on everyone: the members counted per segment,
 * the required attributes missing, the tag rules' drift, and the warnings about rules that name nothing audited.
 */
final class RuleChecks {

    final List<SegmentScan> segments;
    final List<String> ruleWarnings;
    final List<TagRuleScan> tagRules;
    /** Member ids of the segments that have tag rules: the extra-tag check needs them during the contacts pass. */
    final Map<String, Set<String>> tagRuleMembers;
    final FindingList<MissingAttributes> missingAttributes;

    RuleChecks(List<SegmentScan> segments, List<String> ruleWarnings, List<TagRuleScan> tagRules,
            Map<String, Set<String>> tagRuleMembers, FindingList<MissingAttributes> missingAttributes) {
        this.segments = segments;
        this.ruleWarnings = ruleWarnings;
        this.tagRules = tagRules;
        this.tagRuleMembers = tagRuleMembers;
        this.missingAttributes = missingAttributes;
    }

    /** Before the inventory: no segment planned yet. */
    static RuleChecks none(int limit) {
        return new RuleChecks(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(),
                new FindingList<>(limit));
    }

    /**
     * Picks the audited segments (sorted by name, then id) and resolves the rules against segments and tags. Tags
     * are needed only when there are tag rules ({@code tags} is then the workspace's list).
     */
    void plan(List<Segment> all, List<Tag> tags, AuditOptions options) {
        List<String> include = options.segments().include();
        List<String> exclude = options.segments().exclude();
        for (String wanted : include) {
            if (all.stream().noneMatch(s -> AuditRules.names(wanted, s.id(), s.name()))) {
                ruleWarnings.add("segments.include names no segment: '" + wanted + "'");
            }
        }
        all.stream()
                .filter(s -> include.isEmpty() || include.stream().anyMatch(k -> AuditRules.names(k, s.id(), s.name())))
                .filter(s -> exclude.stream().noneMatch(k -> AuditRules.names(k, s.id(), s.name())))
                .sorted((a, b) -> {
                    int byName = String.valueOf(a.name()).compareToIgnoreCase(String.valueOf(b.name()));
                    return byName != 0 ? byName : String.valueOf(a.id()).compareTo(String.valueOf(b.id()));
                })
                .forEach(s -> segments.add(new SegmentScan(s)));

        warnAboutUnauditedRuleSegments("required-attributes", options.rules().requiredAttributes().keySet());
        warnAboutUnauditedRuleSegments("segment-tags", options.rules().segmentTags().keySet());

        Map<String, Tag> tagsByName = tags.stream().collect(Collectors.toMap(t -> lower(t.name()), Function.identity(),
                (first, second) -> first, LinkedHashMap::new));
        int limit = options.maxListedPerFinding();
        for (SegmentScan segment : segments) {
            for (String tagName : options.rules().tagsOfSegment(segment.id(), segment.name())) {
                Tag tag = tagsByName.get(lower(tagName));
                if (tag == null) {
                    ruleWarnings.add("tag '" + tagName + "' of segment '" + segment.name()
                            + "' does not exist in the workspace" + (options.fixes() ? "; fix mode creates it" : ""));
                }
                tagRules.add(new TagRuleScan(segment, tagName, tag == null ? null : tag.id(), limit));
                tagRuleMembers.putIfAbsent(segment.id(), new LinkedHashSet<>());
            }
        }
    }

    private void warnAboutUnauditedRuleSegments(String kind, Set<String> keys) {
        for (String key : keys) {
            if (!AuditRules.EVERYONE.equals(key)
                    && segments.stream().noneMatch(s -> AuditRules.names(key, s.id(), s.name()))) {
                ruleWarnings.add("rules." + kind + " names a segment that is not audited or does not exist: '" + key + "'");
            }
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** The position of the audited segment in {@link #segments}. */
    int indexOf(String segmentId) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).id().equals(segmentId)) {
                return i;
            }
        }
        throw new IllegalStateException("no audited segment " + segmentId);
    }

    /** Counts one member of the segment and checks the segment's rules on it. */
    void recordSegmentMember(int segmentIndex, Contact contact, AuditOptions options) {
        SegmentScan segment = segments.get(segmentIndex).withMember(contact);
        segments.set(segmentIndex, segment);
        checkRequiredAttributes(contact, options.rules().requiredInSegment(segment.id(), segment.name()),
                segment.name(), segment.id());
        Set<String> members = tagRuleMembers.get(segment.id());
        if (members != null) {
            members.add(contact.id());
            for (TagRuleScan rule : tagRules) {
                if (rule.segmentId().equals(segment.id())) {
                    rule.checkMember(contact);
                }
            }
        }
    }

    void segmentRead(int segmentIndex) {
        segments.set(segmentIndex, segments.get(segmentIndex).completed());
    }

    /** Checks the rules on everyone, and the tag rules' extra tags, on one contact of the contacts pass. */
    void checkContact(Contact contact, AuditOptions options) {
        checkRequiredAttributes(contact, options.rules().requiredOfEveryone(), AuditRules.EVERYONE, null);
        for (TagRuleScan rule : tagRules) {
            rule.checkContact(contact, tagRuleMembers.get(rule.segmentId()));
        }
    }

    /** Records which of the {@code required} attributes the contact lacks, under the rule's segment (or everyone). */
    private void checkRequiredAttributes(Contact contact, List<String> required, String segmentName, String segmentId) {
        if (required.isEmpty()) {
            return;
        }
        List<String> missing = ContactChecks.missingAttributes(contact, required);
        if (!missing.isEmpty()) {
            missingAttributes.add(new MissingAttributes(contact.id(), contact.role(), segmentName, segmentId, missing));
        }
    }

    /** The members are needed no more once the contacts pass is over. */
    void contactsPassDone() {
        tagRuleMembers.clear();
    }

    long tagsMissing() {
        return tagRules.stream().mapToLong(r -> r.missing().count()).sum();
    }

    long tagsExtra() {
        return tagRules.stream().mapToLong(r -> r.extra().count()).sum();
    }
}
