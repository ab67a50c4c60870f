package dev.contactfunctions.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.audit.AuditReport.InvalidEmail;
import dev.contactfunctions.audit.AuditReport.MissingAttributes;
import dev.contactfunctions.audit.AuditReport.UnmergedLead;
import dev.contactfunctions.audit.AuditReport.UsersSharingEmail;
import dev.contactfunctions.audit.ContactChecks.TagPresence;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.identifiers.Emails;
import dev.contactfunctions.identifiers.Pseudonyms;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The state of one audit run: where it is (phase, the read chains still open with their cursors) and what it found
 * so far. It is the checkpoint: saved when an invocation stops before the end, loaded by the next one. What it finds
 * does not depend on the order the pages are fed in (counts add up, listed findings are kept in a fixed order), so a
 * run read concurrently, or cut into several invocations, ends with the same findings as an uncut sequential one.
 */
@RegisterForReflection
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
final class AuditRun {

    enum Phase {
        /** List segments (and tags, when tag rules exist). */
        INVENTORY,
        /** Search each audited segment's members, page by page, in chains read concurrently. */
        SEGMENTS,
        /** One pass over all contacts: duplicates, invalid emails, inactive leads, rules on everyone, extra tags. */
        CONTACTS,
        /** Fix mode: apply (or, in a dry run, list) the planned changes. */
        FIXES,
        DONE
    }

    static final String PENDING = "pending";
    static final String IN_PROGRESS = "in-progress";
    static final String COMPLETE = "complete";

    String runId;
    Instant startedAt;
    String optionsFingerprint;
    int invocations;
    long apiCalls;
    Phase phase = Phase.INVENTORY;
    /** The chains of pages of the current read phase still to read; null in a checkpoint of an older format. */
    List<ReadChain> reads = new ArrayList<>();

    List<SegmentScan> segments = new ArrayList<>();
    List<String> ruleWarnings = new ArrayList<>();
    List<TagRuleScan> tagRules = new ArrayList<>();
    /** Member ids of the segments that have tag rules: the extra-tag check needs them during the contacts pass. */
    Map<String, Set<String>> tagRuleMembers = new LinkedHashMap<>();
    FindingList<MissingAttributes> missingAttributes;

    boolean contactsScanned;
    long contacts;
    long users;
    long leads;
    long withoutEmail;
    EmailIndex emails = new EmailIndex();
    FindingList<InvalidEmail> invalidEmails;
    /** Null in a checkpoint of a version that only counted them: such a run starts over. */
    FindingList<AuditReport.InactiveLead> inactiveLeadList;
    /** Whether {@code GET /me} was asked in this run: once per run, whatever it answered. */
    boolean workspaceAppAsked;
    /** Where the contacts' pages are; null until asked, or when Intercom named no app the audit can link to. */
    ContactPages contactPages;
    FindingList<UnmergedLead> unmergedLeads;
    FindingList<UsersSharingEmail> usersSharingEmail;

    List<Change> changes;
    int nextChange;
    AuditReport.Skipped skipped;

    AuditRun() {
        // for the checkpoint reader
    }

    static AuditRun start(Instant now, AuditOptions options) {
        AuditRun run = new AuditRun();
        run.startedAt = now.truncatedTo(ChronoUnit.SECONDS);
        run.runId = newRunId(run.startedAt);
        run.optionsFingerprint = options.fingerprint();
        int limit = options.maxListedPerFinding();
        run.missingAttributes = new FindingList<>(limit);
        run.invalidEmails = new FindingList<>(limit);
        run.unmergedLeads = new FindingList<>(limit);
        run.usersSharingEmail = new FindingList<>(limit);
        run.inactiveLeadList = new FindingList<>(limit);
        return run;
    }

    /**
     * The start second (sortable, readable) and a random suffix, so that two runs started in the same second, on one
     * machine or two, never share a folder: {@code 2026-05-01T020000Z-5f3a9c1e}.
     */
    static String newRunId(Instant startedAt) {
        return startedAt.toString().replace(":", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Instant inactivityCutoff(AuditOptions options) {
        return startedAt.minus(options.inactivityDays(), ChronoUnit.DAYS);
    }

    // ---- inventory

    /**
     * Picks the audited segments (sorted by name, then id) and resolves the rules against segments and tags. Tags
     * are needed only when there are tag rules ({@code tags} is then the workspace's list).
     */
    void planSegments(List<Segment> all, List<Tag> tags, AuditOptions options) {
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
            for (String tagName : options.rules().tagsOfSegment(segment.id, segment.name)) {
                Tag tag = tagsByName.get(lower(tagName));
                if (tag == null) {
                    ruleWarnings.add("tag '" + tagName + "' of segment '" + segment.name
                            + "' does not exist in the workspace" + (options.fixes() ? "; fix mode creates it" : ""));
                }
                tagRules.add(new TagRuleScan(segment, tagName, tag == null ? null : tag.id(), limit));
                tagRuleMembers.putIfAbsent(segment.id, new LinkedHashSet<>());
            }
        }
        segments.forEach(segment -> reads.add(new ReadChain(ReadSlice.segment(segment.id))));
        if (segments.isEmpty()) {
            startContactsPass();
        } else {
            phase = Phase.SEGMENTS;
        }
    }

    private void warnAboutUnauditedRuleSegments(String kind, Set<String> keys) {
        for (String key : keys) {
            if (!AuditRules.EVERYONE.equals(key) && segments.stream().noneMatch(s -> AuditRules.names(key, s.id, s.name))) {
                ruleWarnings.add("rules." + kind + " names a segment that is not audited or does not exist: '" + key + "'");
            }
        }
    }

    // ---- reading pages

    /** Pages the read phase (segments or contacts) is expected to need, from the counts known so far. */
    long expectedPages() {
        if (phase == Phase.SEGMENTS) {
            return segments.stream().mapToLong(s -> s.intercomCount == null ? 1 : pages(s.intercomCount)).sum();
        }
        return reads.stream().mapToLong(c -> c.total == null ? 1 : pages(c.total)).sum();
    }

    private static long pages(long contacts) {
        return Math.max(1, (contacts + AuditWorkspace.PAGE_SIZE - 1) / AuditWorkspace.PAGE_SIZE);
    }

    /**
     * Feeds one page of the chain and answers the chains to read next: the same chain at its next cursor, nothing
     * when it is done, or, when its first page tells the slice is longer than {@code maxPages}, the slices it is
     * split into (that first page is then not used: the slices read their contacts again).
     */
    List<ReadChain> pageRead(ReadChain chain, ContactPage page, AuditOptions options, long maxPages, long today,
            Pseudonyms pseudonyms) {
        if (chain.cursor == null) {
            List<ReadSlice> parts = chain.slice.split(page, maxPages, today);
            if (!parts.isEmpty()) {
                reads.remove(chain);
                List<ReadChain> split = parts.stream().map(ReadChain::new).toList();
                reads.addAll(split);
                return split;
            }
            chain.total = page.totalCount();
        }
        SegmentScan segment = chain.slice.segmentId() == null ? null : segment(chain.slice.segmentId());
        for (Contact contact : page.contacts()) {
            if (segment == null) {
                recordContact(contact, options, pseudonyms);
            } else {
                recordSegmentMember(segment, contact, options);
            }
        }
        chain.pagesRead++;
        Optional<String> next = page.nextCursor();
        if (next.isPresent()) {
            chain.cursor = next.get();
            return List.of(chain);
        }
        reads.remove(chain);
        if (segment != null && reads.stream().noneMatch(c -> segment.id.equals(c.slice.segmentId()))) {
            segment.scan = COMPLETE;
        }
        return List.of();
    }

    /** Moves on once every chain of the phase is read: from the segments to the contacts, then past the contacts. */
    void readPhaseDone(AuditOptions options) {
        if (phase == Phase.SEGMENTS) {
            startContactsPass();
        } else {
            contactsPassDone(options);
        }
    }

    private void startContactsPass() {
        phase = Phase.CONTACTS;
        reads = new ArrayList<>(List.of(new ReadChain(ReadSlice.everyone())));
    }

    private SegmentScan segment(String id) {
        return segments.stream().filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no audited segment " + id));
    }

    /** Counts one member of the segment and checks the segment's rules on it. */
    private void recordSegmentMember(SegmentScan segment, Contact contact, AuditOptions options) {
        segment.scan = IN_PROGRESS;
        segment.members++;
        if (contact.isUser()) {
            segment.users++;
        } else if (contact.isLead()) {
            segment.leads++;
        }
        checkRequiredAttributes(contact, options.rules().requiredInSegment(segment.id, segment.name), segment.name,
                segment.id);
        Set<String> members = tagRuleMembers.get(segment.id);
        if (members != null) {
            members.add(contact.id());
            for (TagRuleScan rule : tagRules) {
                if (rule.segmentId.equals(segment.id)) {
                    rule.checkMember(contact);
                }
            }
        }
    }

    // ---- all contacts

    /** Counts and checks one contact; its email is kept only as a keyed hash ({@code pseudonyms}). */
    private void recordContact(Contact contact, AuditOptions options, Pseudonyms pseudonyms) {
        contacts++;
        if (contact.isUser()) {
            users++;
        } else if (contact.isLead()) {
            leads++;
        }
        String email = contact.email();
        if (email == null || email.isBlank()) {
            withoutEmail++;
        } else {
            String normalized = Emails.normalize(email);
            emails.add(pseudonyms.emailKey(normalized), contact.id(), contact.role());
            ContactChecks.emailProblem(email).ifPresent(reason -> invalidEmails.add(
                    new InvalidEmail(contact.id(), contact.role(), reason, pseudonyms.emailFingerprint(normalized))));
        }
        if (ContactChecks.isInactiveLead(contact, inactivityCutoff(options))) {
            inactiveLeadList.add(new AuditReport.InactiveLead(contact.id(),
                    ContactChecks.lastActivity(contact).orElseThrow()));
        }
        checkRequiredAttributes(contact, options.rules().requiredOfEveryone(), AuditRules.EVERYONE, null);
        for (TagRuleScan rule : tagRules) {
            rule.checkContact(contact, tagRuleMembers.get(rule.segmentId));
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

    /** Closes the pass: duplicates are known once every contact has been seen. */
    private void contactsPassDone(AuditOptions options) {
        reads = new ArrayList<>();
        for (EmailIndex.SharedEmail shared : emails.sharedEmails()) {
            List<String> userIds = shared.userIds();
            if (userIds.size() > 1) {
                usersSharingEmail.add(new UsersSharingEmail(shared.emailFingerprint(), userIds));
            }
            if (!userIds.isEmpty()) {
                for (String leadId : shared.leadIds()) {
                    unmergedLeads.add(new UnmergedLead(leadId, userIds, shared.emailFingerprint()));
                }
            }
        }
        contactsScanned = true;
        emails = new EmailIndex();
        tagRuleMembers.clear();
        phase = options.fixes() ? Phase.FIXES : Phase.DONE;
    }

    // ---- report

    AuditReport toReport(AuditOptions options, Optional<AuditReport> previous, Instant generatedAt, String stopReason) {
        Map<String, AuditReport.SegmentReport> before = previous.map(p -> p.segments().stream()
                .collect(Collectors.toMap(AuditReport.SegmentReport::id, Function.identity(), (a, b) -> a)))
                .orElse(Map.of());
        List<AuditReport.SegmentReport> segmentReports = segments.stream().map(s -> {
            Long counted = COMPLETE.equals(s.scan) ? s.members : null;
            AuditReport.SegmentReport old = before.get(s.id);
            Long previousCount = old == null ? null : old.membersCounted();
            Long change = counted == null || previousCount == null ? null : counted - previousCount;
            return new AuditReport.SegmentReport(s.id, s.name, s.personType, s.intercomCount, s.scan, counted,
                    s.users, s.leads, previousCount, change);
        }).toList();
        long tagMissing = tagRules.stream().mapToLong(r -> r.missing.count()).sum();
        long tagExtra = tagRules.stream().mapToLong(r -> r.extra.count()).sum();
        AuditReport.Findings findings = new AuditReport.Findings(
                AuditReport.Listed.of(unmergedLeads), AuditReport.Listed.of(usersSharingEmail),
                AuditReport.Listed.of(missingAttributes), AuditReport.Listed.of(invalidEmails),
                new AuditReport.InactiveLeads(inactiveLeadList.count(), options.inactivityDays(),
                        inactivityCutoff(options), inactiveLeadList.truncated(), inactiveLeadList.items()),
                new AuditReport.TagDrift(tagMissing, tagExtra, tagRules.stream().map(TagRuleScan::toReport).toList()));
        String fixMode = !options.fixes() ? "off" : options.dryRun() ? "dry-run" : "apply";
        AuditReport.Fixes fixes = new AuditReport.Fixes(fixMode, options.caps(),
                changes == null ? List.of() : List.copyOf(changes),
                skipped == null ? new AuditReport.Skipped(0, 0, 0) : skipped);
        boolean done = phase == Phase.DONE;
        AuditReport.Run runInfo = new AuditReport.Run(runId,
                done ? AuditReport.Status.COMPLETE : AuditReport.Status.PARTIAL,
                phase.name().toLowerCase(Locale.ROOT), startedAt, generatedAt.truncatedTo(ChronoUnit.SECONDS), invocations, apiCalls,
                done ? null : stopReason,
                previous.map(p -> p.run().id()).filter(id -> !id.equals(runId)).orElse(null));
        return new AuditReport(AuditReport.SCHEMA_VERSION, runInfo, options,
                new AuditReport.Workspace(contactsScanned, contacts, users, leads, withoutEmail),
                segmentReports, findings, List.copyOf(ruleWarnings), fixes, contactLinks(findings, fixes));
    }

    /** The page of every contact the findings and fixes name; null without pages to link to. */
    private AuditReport.ContactLinks contactLinks(AuditReport.Findings findings, AuditReport.Fixes fixes) {
        if (contactPages == null) {
            return null;
        }
        Set<String> named = new LinkedHashSet<>();
        findings.unmergedLeads().items().forEach(l -> {
            named.add(l.leadId());
            named.addAll(l.userIds());
        });
        findings.usersSharingEmail().items().forEach(u -> named.addAll(u.userIds()));
        findings.missingAttributes().items().forEach(m -> named.add(m.contactId()));
        findings.invalidEmails().items().forEach(i -> named.add(i.contactId()));
        findings.inactiveLeads().items().forEach(i -> named.add(i.contactId()));
        findings.tagDrift().rules().forEach(r -> {
            named.addAll(r.missing().items());
            named.addAll(r.extra().items());
        });
        fixes.changes().forEach(c -> {
            named.add(c.contactId());
            named.add(c.intoUserId());
        });
        Map<String, String> urls = new TreeMap<>();
        for (String id : named) {
            contactPages.url(id).ifPresent(url -> urls.put(id, url));
        }
        return new AuditReport.ContactLinks(contactPages.appId(), contactPages.region(), urls);
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** One chain of cursor pages: a slice, the cursor of its next page (null: the first), its total once known. */
    @RegisterForReflection
    @JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class ReadChain {
        ReadSlice slice;
        String cursor;
        Integer total;
        int pagesRead;

        ReadChain() {
        }

        ReadChain(ReadSlice slice) {
            this.slice = slice;
        }

        /** Pages still to read: unknown (a first page, which may split the slice) counts as the most. */
        long pagesLeft() {
            return total == null ? Long.MAX_VALUE : pages(total) - pagesRead;
        }
    }

    @RegisterForReflection
    @JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class SegmentScan {
        String id;
        String name;
        String personType;
        Integer intercomCount;
        String scan = PENDING;
        long members;
        long users;
        long leads;

        SegmentScan() {
        }

        SegmentScan(Segment segment) {
            id = segment.id();
            name = segment.name();
            personType = segment.personType();
            intercomCount = segment.count();
        }
    }

    @RegisterForReflection
    @JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
            isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
    @JsonIgnoreProperties(ignoreUnknown = true)
    static final class TagRuleScan {
        String segmentId;
        String segmentName;
        String tagName;
        String tagId;
        FindingList<String> missing;
        FindingList<String> extra;
        long unverifiable;

        TagRuleScan() {
        }

        TagRuleScan(SegmentScan segment, String tagName, String tagId, int limit) {
            this.segmentId = segment.id;
            this.segmentName = segment.name;
            this.tagName = tagName;
            this.tagId = tagId;
            this.missing = new FindingList<>(limit);
            this.extra = new FindingList<>(limit);
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
    }
}
