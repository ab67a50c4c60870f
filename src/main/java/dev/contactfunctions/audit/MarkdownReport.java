package dev.contactfunctions.audit;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.contactfunctions.audit.AuditReport.Listed;

/**
 * The report as a short Markdown summary: segments, finding counts, the first items of each finding, fixes. Every
 * value from outside (segment and tag names, rule values, Intercom's ids and messages) goes through {@link #text} or
 * {@link #code}, and every link address through {@link #destination}, so that it shows as written and can add no
 * markup, line, heading, list item or table cell. A contact is a link to its page in Intercom when the report has one.
 */
final class MarkdownReport {

    static final int ITEMS_SHOWN = 20;
    /** What opens or closes inline markup: escapes, code, emphasis, links and images, HTML, entities, cells, strikes. */
    private static final String INLINE_MARKUP = "\\`*_[]<>&|~!#";
    /** What opens a block at the start of a line: headings, lists, quotes, setext underlines, fences. */
    private static final String BLOCK_START = "-+=>";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_.:-]+");

    private MarkdownReport() {
    }

    static String render(AuditReport r) {
        UnaryOperator<String> contact = id -> contact(r, id);
        StringBuilder md = new StringBuilder();
        AuditReport.Run run = r.run();
        md.append("# Segment audit ").append(text(run.id())).append(" (").append(text(run.status())).append(")\n\n");
        md.append("Mode: ").append(r.options().mode().wireName()).append(r.options().dryRun() ? " (dry run)" : "")
                .append(" · started ").append(run.startedAt()).append(" · generated ").append(run.generatedAt())
                .append(" · ").append(run.apiCalls()).append(" API calls in ").append(run.invocations())
                .append(" invocation(s)\n\n");
        if (!r.complete()) {
            md.append("> **Partial report**: stopped in phase ").append(code(run.phase())).append(" (")
                    .append(text(run.stopReason())).append("). The next run resumes from the checkpoint.\n\n");
        }
        AuditReport.Workspace w = r.workspace();
        if (w.scanned()) {
            md.append("Workspace: ").append(w.contacts()).append(" contacts (").append(w.users()).append(" users, ")
                    .append(w.leads()).append(" leads, ").append(w.withoutEmail()).append(" without email)\n\n");
        }

        md.append("## Segments\n\n| Segment | Type | Intercom count | Counted | Users | Leads | Change |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (AuditReport.SegmentReport s : r.segments()) {
            md.append("| ").append(text(s.name())).append(" ").append(code(s.id())).append(" | ").append(text(s.personType()))
                    .append(" | ").append(orDash(s.intercomCount())).append(" | ")
                    .append(s.membersCounted() == null ? s.scan() : s.membersCounted().toString())
                    .append(" | ").append(s.users()).append(" | ").append(s.leads()).append(" | ")
                    .append(change(s)).append(" |\n");
        }
        if (r.segments().isEmpty()) {
            md.append("| (no segment audited) | | | | | | |\n");
        }

        AuditReport.Findings f = r.findings();
        md.append("\n## Findings\n\n| Finding | Count |\n|---|---:|\n")
                .append("| Unmerged leads (email belongs to a user) | ").append(f.unmergedLeads().count()).append(" |\n")
                .append("| Users sharing an email | ").append(f.usersSharingEmail().count()).append(" |\n")
                .append("| Missing required attributes | ").append(f.missingAttributes().count()).append(" |\n")
                .append("| Invalid emails | ").append(f.invalidEmails().count()).append(" |\n")
                .append("| Leads inactive for ").append(f.inactiveLeads().days()).append(" days | ")
                .append(f.inactiveLeads().count()).append(" |\n")
                .append("| Tag drift: missing tags | ").append(f.tagDrift().missing()).append(" |\n")
                .append("| Tag drift: extra tags | ").append(f.tagDrift().extra()).append(" |\n");

        items(md, "Unmerged leads", f.unmergedLeads(),
                l -> "lead " + contact.apply(l.leadId()) + " → " + (l.userIds().size() == 1 ? "user " : "users ")
                        + contacts(r, l.userIds()) + " (email " + text(l.emailFingerprint()) + ")");
        items(md, "Users sharing an email", f.usersSharingEmail(),
                u -> "email " + text(u.emailFingerprint()) + ": users " + contacts(r, u.userIds()));
        items(md, "Missing required attributes", f.missingAttributes(),
                m -> text(m.role()) + " " + contact.apply(m.contactId()) + " in "
                        + ("*".equals(m.rule()) ? "every contact" : "'" + text(m.rule()) + "'") + ": "
                        + m.missing().stream().map(MarkdownReport::text).collect(Collectors.joining(", ")));
        items(md, "Invalid emails", f.invalidEmails(),
                i -> text(i.role()) + " " + contact.apply(i.contactId()) + ": " + text(i.reason()) + " (email "
                        + text(i.emailFingerprint()) + ")");
        AuditReport.InactiveLeads inactive = f.inactiveLeads();
        items(md, "Leads inactive for " + inactive.days() + " days",
                new Listed<>(inactive.count(), inactive.truncated(), inactive.items()),
                i -> "lead " + contact.apply(i.contactId()) + ": last active " + i.lastActivityAt());
        for (AuditReport.TagRule rule : f.tagDrift().rules()) {
            String title = "Tag '" + text(rule.tagName()) + "' on segment '" + text(rule.segmentName()) + "'";
            items(md, title + ": missing", rule.missing(), contact::apply);
            items(md, title + ": extra", rule.extra(), contact::apply);
            if (rule.unverifiable() > 0) {
                md.append("\n").append(rule.unverifiable())
                        .append(" contact(s) carry over 10 tags; Intercom listed only part of them, so they were not checked.\n");
            }
        }

        if (!r.ruleWarnings().isEmpty()) {
            md.append("\n## Rule warnings\n\n");
            r.ruleWarnings().forEach(warning -> md.append("- ").append(text(warning)).append("\n"));
        }

        AuditReport.Fixes fixes = r.fixes();
        if (!"off".equals(fixes.mode())) {
            md.append("\n## Fixes (").append(text(fixes.mode())).append(")\n\n");
            if (fixes.changes().isEmpty()) {
                md.append("Nothing to change.\n");
            }
            for (AuditReport.Change c : fixes.changes()) {
                md.append("- ").append(text(c.status())).append(": ")
                        .append(c.describe(contact, name -> "'" + text(name) + "'"))
                        .append(c.error() == null ? "" : " (" + text(c.error()) + ")").append("\n");
            }
            AuditReport.Skipped skipped = fixes.skipped();
            md.append("\nLeft alone: ").append(skipped.mergesOverCap()).append(" merges over the cap (")
                    .append(fixes.caps().merges()).append("), ").append(skipped.tagChangesOverCap())
                    .append(" tag changes over the cap (").append(fixes.caps().tagChanges()).append("), ")
                    .append(skipped.ambiguousLeads()).append(" leads whose email belongs to several users.\n");
        }
        md.append("\n---\n\n").append(text(r.namingNote())).append("\n");
        return md.toString();
    }

    private static <T> void items(StringBuilder md, String title, Listed<T> listed, Function<T, String> line) {
        if (listed.count() == 0) {
            return;
        }
        md.append("\n### ").append(title).append("\n\n");
        List<T> items = listed.items();
        items.stream().limit(ITEMS_SHOWN).forEach(item -> md.append("- ").append(line.apply(item)).append("\n"));
        long more = listed.count() - Math.min(items.size(), ITEMS_SHOWN);
        if (more > 0) {
            md.append("- … and ").append(more).append(" more (").append(listed.truncated()
                    ? "the JSON report lists the first " + items.size() : "see the JSON report").append(")\n");
        }
    }

    private static String contacts(AuditReport r, List<String> ids) {
        return ids.stream().map(id -> contact(r, id)).collect(Collectors.joining(", "));
    }

    /** The contact's id as code, a link to its page in Intercom when the report has one. */
    static String contact(AuditReport r, String id) {
        String url = r.contactUrl(id);
        return url == null ? code(id) : "[" + code(id) + "](" + destination(url) + ")";
    }

    /**
     * A link's address as Markdown reads it back: every character but the unreserved ones and {@code :/?#@=+,;%}
     * percent-encoded (UTF-8), so that no parenthesis, bracket, space, angle bracket, backslash or entity can end or
     * change it.
     */
    static String destination(String url) {
        StringBuilder out = new StringBuilder(url.length());
        for (byte b : url.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:/?#@=+,;%".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /**
     * A value as inline text that shows exactly as written wherever the report puts it: in a heading, a list item, a
     * table cell, at the start of a line. Markdown's inline markup characters are backslash-escaped (in a table
     * cell {@code \|} is GitHub's escape of the cell separator), a leading block marker ({@code #}, {@code -},
     * {@code >}, {@code 1.}, ...) loses its meaning, and line breaks, control characters and edge spaces become
     * character references, so a value never starts a line or a block of its own.
     */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        int leadingDigits = 0;
        while (leadingDigits < value.length() && Character.isDigit(value.charAt(leadingDigits))) {
            leadingDigits++;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edge = i == 0 || i == value.length() - 1;
            if (c < 0x20 || c == 0x7f || (edge && c == ' ')) {
                out.append("&#").append((int) c).append(';');
            } else if (INLINE_MARKUP.indexOf(c) >= 0 || (i == 0 && BLOCK_START.indexOf(c) >= 0)
                    || (i == leadingDigits && i > 0 && (c == '.' || c == ')'))) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** An id as code when it is a plain id (Intercom's are), else as {@link #text}: a code span escapes nothing. */
    static String code(String id) {
        return id != null && PLAIN_ID.matcher(id).matches() ? "`" + id + "`" : text(id);
    }

    private static String orDash(Object value) {
        return value == null ? "–" : value.toString();
    }

    /** The change since the previous report: signed, "new" when that report lacked the segment, "–" if not counted. */
    static String change(AuditReport.SegmentReport s) {
        if (s.membersCounted() == null) {
            return "–";
        }
        if (s.change() == null) {
            return "new";
        }
        return s.change() > 0 ? "+" + s.change() : s.change().toString();
    }
}
