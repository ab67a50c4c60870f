package dev.contactfunctions.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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

import dev.contactfunctions.audit.AuditReport.Change;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.identifiers.Pseudonyms;

/**
 * The state of one audit run: where it is (phase, the read chains still open with their cursors) and what it found
 * so far ({@link RuleChecks} on the audited segments, the {@link ContactTally} of all contacts, the fixes). It is
 * saved as an {@link AuditCheckpoint} when an invocation stops before the end and restored by the next one. What it
 * finds does not depend on the order the pages are fed in (counts add up, listed findings are kept in a fixed order),
 * so a run read concurrently, or cut into several invocations, ends with the same findings as an uncut sequential one.
 */
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

    final String runId;
    final Instant startedAt;
    final String optionsFingerprint;
    int invocations;
    long apiCalls;
    Phase phase;
    /** The chains of pages of the current read phase still to read. */
    List<ReadChain> reads;
    final RuleChecks checks;
    final ContactTally tally;
    /** Whether {@code GET /me} was asked in this run: once per run, whatever it answered. */
    boolean workspaceAppAsked;
    /** Where the contacts' pages are; null until asked, or when Intercom named no app the audit can link to. */
    ContactPages contactPages;
    /** The planned changes ({@link FixPlanner}); null until planned. */
    List<Change> changes;
    int nextChange;
    AuditReport.Skipped skipped;

    AuditRun(String runId, Instant startedAt, String optionsFingerprint, Phase phase, List<ReadChain> reads,
            RuleChecks checks, ContactTally tally) {
        this.runId = runId;
        this.startedAt = startedAt;
        this.optionsFingerprint = optionsFingerprint;
        this.phase = phase;
        this.reads = reads;
        this.checks = checks;
        this.tally = tally;
    }

    static AuditRun start(Instant now, AuditOptions options) {
        Instant startedAt = now.truncatedTo(ChronoUnit.SECONDS);
        int limit = options.maxListedPerFinding();
        return new AuditRun(newRunId(startedAt), startedAt, options.fingerprint(), Phase.INVENTORY, new ArrayList<>(),
                RuleChecks.none(limit), ContactTally.empty(limit));
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
     * Picks the audited segments and resolves the rules against segments and tags ({@link RuleChecks#plan}), then
     * opens a read chain per segment.
     */
    void planSegments(List<Segment> all, List<Tag> tags, AuditOptions options) {
        checks.plan(all, tags, options);
        checks.segments.forEach(segment -> reads.add(new ReadChain(ReadSlice.segment(segment.id()))));
        if (checks.segments.isEmpty()) {
            startContactsPass();
        } else {
            phase = Phase.SEGMENTS;
        }
    }

    /**
     * Opens the contacts pass's chain while the segments are read, unless it is open: it is then read alongside
     * them, or, with tag rules, read ahead (split, and its first pages fetched), its pages fed in once the segments
     * are read ({@link #readAhead}). Answers the chain it opened.
     */
    Optional<ReadChain> openContactsPassAhead() {
        if (phase != Phase.SEGMENTS || reads.stream().anyMatch(c -> c.slice().segmentId() == null)) {
            return Optional.empty();
        }
        ReadChain everyone = new ReadChain(ReadSlice.everyone());
        reads.add(everyone);
        return Optional.of(everyone);
    }

    // ---- reading pages

    /** Pages the read phase (segments or contacts) is expected to need, from the counts known so far. */
    long expectedPages() {
        if (phase == Phase.SEGMENTS) {
            return checks.segments.stream()
                    .mapToLong(s -> s.intercomCount() == null ? 1 : ReadChain.pages(s.intercomCount())).sum();
        }
        return reads.stream().mapToLong(c -> c.total() == null ? 1 : ReadChain.pages(c.total())).sum();
    }

    /**
     * Feeds one page of the chain and answers the chains to read next: the same chain at its next cursor, nothing
     * when it is done, or, when its first page tells the slice is longer than {@code maxPages}, the slices it is
     * split into (that first page is then not used: the slices read their contacts again).
     */
    List<ReadChain> pageRead(ReadChain chain, ContactPage page, AuditOptions options, long maxPages, long today,
            Pseudonyms pseudonyms) {
        int at = openChain(chain);
        Optional<List<ReadChain>> split = split(at, page, maxPages, today);
        if (split.isPresent()) {
            return split.get();
        }
        String segmentId = chain.slice().segmentId();
        int segment = segmentId == null ? -1 : checks.indexOf(segmentId);
        for (Contact contact : page.contacts()) {
            if (segment < 0) {
                tally.record(contact, inactivityCutoff(options), pseudonyms);
                checks.checkContact(contact, options);
            } else {
                checks.recordSegmentMember(segment, contact, options);
            }
        }
        Optional<String> next = page.nextCursor();
        if (next.isPresent()) {
            ReadChain moved = chain.after(page, next.get());
            reads.set(at, moved);
            return List.of(moved);
        }
        reads.remove(at);
        if (segmentId != null && reads.stream().noneMatch(c -> segmentId.equals(c.slice().segmentId()))) {
            checks.segmentRead(segment);
        }
        if (segmentId == null && phase == Phase.SEGMENTS && reads.stream().allMatch(c -> c.slice().segmentId() != null)) {
            tally.passDone(); // read alongside the segments, the contacts pass ended first
        }
        return List.of();
    }

    private int openChain(ReadChain chain) {
        int at = reads.indexOf(chain);
        if (at < 0) {
            throw new IllegalStateException("no open read chain " + chain);
        }
        return at;
    }

    /** The chain at {@code at} split into the slices its first page calls for, or empty when it is read as it is. */
    private Optional<List<ReadChain>> split(int at, ContactPage page, long maxPages, long today) {
        ReadChain chain = reads.get(at);
        if (chain.cursor() != null) {
            return Optional.empty();
        }
        List<ReadSlice> parts = chain.slice().split(page, maxPages, today);
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        reads.remove(at);
        List<ReadChain> split = parts.stream().map(ReadChain::new).toList();
        reads.addAll(split);
        return Optional.of(split);
    }

    /**
     * Whether the chain belongs to a later pass than the current one: a chain of the contacts pass while segments
     * are still read, when tag rules exist. Its pages may be fetched, but a page that would count contacts is fed in
     * only once the segments are read (the tag rules' extra tags need every segment's members). Without tag rules the
     * contacts pass needs nothing of the segments: its chains are read and fed alongside theirs.
     */
    boolean readAhead(ReadChain chain) {
        return phase == Phase.SEGMENTS && chain.slice().segmentId() == null && !checks.tagRules.isEmpty();
    }

    /**
     * For a chain read ahead: the slices its first page splits it into (the page then counts nothing, so it is used
     * now), or empty when the page is to be fed in once the segments are read.
     */
    Optional<List<ReadChain>> splitAhead(ReadChain chain, ContactPage page, long maxPages, long today) {
        return split(openChain(chain), page, maxPages, today);
    }

    /** Whether the segments phase has no segment chain left to read. */
    boolean segmentsRead() {
        return phase == Phase.SEGMENTS && reads.stream().allMatch(c -> c.slice().segmentId() == null);
    }

    /**
     * Moves on once every chain of the phase is read: from the segments to the contacts (keeping the contacts
     * pass's chains read ahead, else opening its chain), then past the contacts. Answers the chains it opened.
     */
    List<ReadChain> readPhaseDone(AuditOptions options) {
        if (phase == Phase.SEGMENTS && !reads.isEmpty()) {
            phase = Phase.CONTACTS;
        } else if (phase == Phase.SEGMENTS && !tally.scanned) {
            startContactsPass();
            return List.copyOf(reads);
        } else {
            contactsPassDone(options);
        }
        return List.of();
    }

    private void startContactsPass() {
        phase = Phase.CONTACTS;
        reads = new ArrayList<>(List.of(new ReadChain(ReadSlice.everyone())));
    }

    /** Closes the pass: duplicates are known once every contact has been seen. */
    private void contactsPassDone(AuditOptions options) {
        reads = new ArrayList<>();
        tally.passDone();
        checks.contactsPassDone();
        phase = options.fixes() ? Phase.FIXES : Phase.DONE;
    }

    // ---- report

    AuditReport toReport(AuditOptions options, Optional<AuditReport> previous, Instant generatedAt, String stopReason) {
        Map<String, AuditReport.SegmentReport> before = previous.map(p -> p.segments().stream()
                .collect(Collectors.toMap(AuditReport.SegmentReport::id, Function.identity(), (a, b) -> a)))
                .orElse(Map.of());
        List<AuditReport.SegmentReport> segmentReports = checks.segments.stream().map(s -> {
            Long counted = s.membersCounted();
            AuditReport.SegmentReport old = before.get(s.id());
            Long previousCount = old == null ? null : old.membersCounted();
            Long change = counted == null || previousCount == null ? null : counted - previousCount;
            return new AuditReport.SegmentReport(s.id(), s.name(), s.personType(), s.intercomCount(),
                    s.scan().wireName(), counted, s.users(), s.leads(), previousCount, change);
        }).toList();
        FindingList<AuditReport.InactiveLead> inactiveLeads = tally.inactiveLeads;
        AuditReport.Findings findings = new AuditReport.Findings(
                AuditReport.Listed.of(tally.unmergedLeads), AuditReport.Listed.of(tally.usersSharingEmail),
                AuditReport.Listed.of(checks.missingAttributes), AuditReport.Listed.of(tally.invalidEmails),
                new AuditReport.InactiveLeads(inactiveLeads.count(), options.inactivityDays(),
                        inactivityCutoff(options), inactiveLeads.truncated(), inactiveLeads.items()),
                new AuditReport.TagDrift(checks.tagsMissing(), checks.tagsExtra(),
                        checks.tagRules.stream().map(TagRuleScan::toReport).toList()));
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
        return new AuditReport(AuditReport.SCHEMA_VERSION, runInfo, options, tally.toReport(),
                segmentReports, findings, List.copyOf(checks.ruleWarnings), fixes, contactLinks(findings, fixes));
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
}
