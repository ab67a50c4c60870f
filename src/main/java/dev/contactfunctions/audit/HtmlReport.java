package dev.contactfunctions.audit;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import dev.contactfunctions.audit.AuditReport.Listed;

/**
 * The report as one self-contained HTML page: inline CSS, an inline SVG bar chart of segment sizes with the change
 * since the previous report, the finding counts and their first items, each contact a link to its page in Intercom
 * when the report has one. No script, no external asset. Every value from outside, in text or attribute, goes through
 * {@link #esc}.
 */
final class HtmlReport {

    static final int ITEMS_SHOWN = 100;
    private static final int LABEL_WIDTH = 220;
    private static final int BAR_WIDTH = 380;
    private static final int ROW_HEIGHT = 26;

    private HtmlReport() {
    }

    static String render(AuditReport r) {
        UnaryOperator<String> contact = id -> contact(r, id);
        AuditReport.Run run = r.run();
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Segment audit ").append(esc(run.id())).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1f2328;max-width:1100px}\n")
                .append("table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}\n")
                .append("td.n,th.n{text-align:right}code{font-size:.9em}.partial{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem}\n")
                .append(".up{color:#1a7f37}.down{color:#cf222e}.muted{color:#656d76}details{margin:.3rem 0}\n")
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Segment audit <code>").append(esc(run.id())).append("</code> (").append(esc(run.status()))
                .append(")</h1>\n<p class=\"muted\">Mode ").append(esc(r.options().mode().wireName()))
                .append(r.options().dryRun() ? " (dry run)" : "").append(" · started ").append(esc(String.valueOf(run.startedAt())))
                .append(" · generated ").append(esc(String.valueOf(run.generatedAt()))).append(" · ").append(run.apiCalls())
                .append(" API calls in ").append(run.invocations()).append(" invocation(s)")
                .append(run.previousRunId() == null ? "" : " · compared with run " + esc(run.previousRunId())).append("</p>\n");
        if (!r.complete()) {
            h.append("<p class=\"partial\"><strong>Partial report</strong>: stopped in phase <code>").append(esc(run.phase()))
                    .append("</code> (").append(esc(run.stopReason())).append("). The next run resumes from the checkpoint.</p>\n");
        }
        AuditReport.Workspace w = r.workspace();
        if (w.scanned()) {
            h.append("<p>Workspace: ").append(w.contacts()).append(" contacts (").append(w.users()).append(" users, ")
                    .append(w.leads()).append(" leads, ").append(w.withoutEmail()).append(" without email)</p>\n");
        }

        h.append("<h2>Segments</h2>\n").append(chart(r.segments()));
        h.append("<table>\n<tr><th>Segment</th><th>Id</th><th>Type</th><th class=\"n\">Intercom count</th>")
                .append("<th class=\"n\">Counted</th><th class=\"n\">Users</th><th class=\"n\">Leads</th><th class=\"n\">Change</th></tr>\n");
        for (AuditReport.SegmentReport s : r.segments()) {
            h.append("<tr><td>").append(esc(s.name())).append("</td><td><code>").append(esc(s.id())).append("</code></td><td>")
                    .append(esc(s.personType())).append("</td><td class=\"n\">")
                    .append(s.intercomCount() == null ? "–" : s.intercomCount()).append("</td><td class=\"n\">")
                    .append(s.membersCounted() == null ? esc(s.scan()) : s.membersCounted()).append("</td><td class=\"n\">")
                    .append(s.users()).append("</td><td class=\"n\">").append(s.leads()).append("</td><td class=\"n ")
                    .append(changeClass(s.change())).append("\">").append(esc(MarkdownReport.change(s))).append("</td></tr>\n");
        }
        h.append("</table>\n");

        AuditReport.Findings f = r.findings();
        h.append("<h2>Findings</h2>\n<table>\n<tr><th>Finding</th><th class=\"n\">Count</th></tr>\n");
        row(h, "Unmerged leads (email belongs to a user)", f.unmergedLeads().count());
        row(h, "Users sharing an email", f.usersSharingEmail().count());
        row(h, "Missing required attributes", f.missingAttributes().count());
        row(h, "Invalid emails", f.invalidEmails().count());
        row(h, "Leads inactive for " + f.inactiveLeads().days() + " days", f.inactiveLeads().count());
        row(h, "Tag drift: missing tags", f.tagDrift().missing());
        row(h, "Tag drift: extra tags", f.tagDrift().extra());
        h.append("</table>\n");

        items(h, "Unmerged leads", f.unmergedLeads(), l -> "lead " + contact.apply(l.leadId()) + " → "
                + (l.userIds().size() == 1 ? "user " : "users ") + contacts(r, l.userIds()) + " <span class=\"muted\">email " + esc(l.emailFingerprint()) + "</span>");
        items(h, "Users sharing an email", f.usersSharingEmail(),
                u -> "email " + esc(u.emailFingerprint()) + ": users " + contacts(r, u.userIds()));
        items(h, "Missing required attributes", f.missingAttributes(), m -> esc(m.role()) + " " + contact.apply(m.contactId())
                + " in " + ("*".equals(m.rule()) ? "every contact" : "'" + esc(m.rule()) + "'") + ": "
                + esc(String.join(", ", m.missing())));
        items(h, "Invalid emails", f.invalidEmails(), i -> esc(i.role()) + " " + contact.apply(i.contactId()) + ": "
                + esc(i.reason()) + " <span class=\"muted\">email " + esc(i.emailFingerprint()) + "</span>");
        AuditReport.InactiveLeads inactive = f.inactiveLeads();
        items(h, "Leads inactive for " + inactive.days() + " days",
                new Listed<>(inactive.count(), inactive.truncated(), inactive.items()),
                i -> "lead " + contact.apply(i.contactId()) + ": last active " + esc(String.valueOf(i.lastActivityAt())));
        for (AuditReport.TagRule rule : f.tagDrift().rules()) {
            String title = "Tag '" + rule.tagName() + "' on segment '" + rule.segmentName() + "'";
            items(h, title + ": missing", rule.missing(), contact::apply);
            items(h, title + ": extra", rule.extra(), contact::apply);
            if (rule.unverifiable() > 0) {
                h.append("<p class=\"muted\">").append(rule.unverifiable()).append(" contact(s) carry over 10 tags; ")
                        .append("Intercom listed only part of them, so they were not checked for '")
                        .append(esc(rule.tagName())).append("'.</p>\n");
            }
        }

        if (!r.ruleWarnings().isEmpty()) {
            h.append("<h2>Rule warnings</h2>\n<ul>\n");
            r.ruleWarnings().forEach(warning -> h.append("<li>").append(esc(warning)).append("</li>\n"));
            h.append("</ul>\n");
        }
        AuditReport.Fixes fixes = r.fixes();
        if (!"off".equals(fixes.mode())) {
            h.append("<h2>Fixes (").append(esc(fixes.mode())).append(")</h2>\n");
            if (fixes.changes().isEmpty()) {
                h.append("<p>Nothing to change.</p>\n");
            } else {
                h.append("<table>\n<tr><th>Status</th><th>Change</th><th>Error</th></tr>\n");
                for (AuditReport.Change c : fixes.changes()) {
                    h.append("<tr><td>").append(esc(c.status())).append("</td><td>")
                            .append(c.describe(contact, name -> "'" + esc(name) + "'")).append("</td><td>")
                            .append(c.error() == null ? "" : esc(c.error())).append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            AuditReport.Skipped skipped = fixes.skipped();
            h.append("<p class=\"muted\">Left alone: ").append(skipped.mergesOverCap()).append(" merges over the cap (")
                    .append(fixes.caps().merges()).append("), ").append(skipped.tagChangesOverCap())
                    .append(" tag changes over the cap (").append(fixes.caps().tagChanges()).append("), ")
                    .append(skipped.ambiguousLeads()).append(" leads whose email belongs to several users.</p>\n");
        }
        h.append("<p class=\"muted\">").append(esc(r.namingNote())).append("</p>\n</body>\n</html>\n");
        return h.toString();
    }

    /** Horizontal bars of the counted members; a grey outline marks the previous report's count. */
    static String chart(List<AuditReport.SegmentReport> segments) {
        if (segments.isEmpty()) {
            return "<p class=\"muted\">No segment audited.</p>\n";
        }
        long max = 1;
        for (AuditReport.SegmentReport s : segments) {
            max = Math.max(max, Math.max(value(s.membersCounted()), value(s.previousMembersCounted())));
        }
        int width = LABEL_WIDTH + BAR_WIDTH + 160;
        int height = segments.size() * ROW_HEIGHT + 30;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"system-ui,sans-serif\" font-size=\"13\">\n")
                .append("<title>Members per segment, with the change since the previous report</title>\n");
        int y = 5;
        for (AuditReport.SegmentReport s : segments) {
            long counted = value(s.membersCounted());
            int bar = (int) Math.round((double) BAR_WIDTH * counted / max);
            int before = s.previousMembersCounted() == null ? 0
                    : Math.max(1, (int) Math.round((double) BAR_WIDTH * s.previousMembersCounted() / max));
            svg.append("<g><text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 17)
                    .append("\" text-anchor=\"end\">").append(esc(truncate(s.name(), 30))).append("</text>");
            svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(Math.max(bar, s.membersCounted() == null ? 0 : 1)).append("\" height=\"").append(ROW_HEIGHT - 8)
                    .append("\" fill=\"#0969da\"/>");
            if (s.previousMembersCounted() != null) {
                svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 4).append("\" width=\"")
                        .append(before).append("\" height=\"").append(ROW_HEIGHT - 8)
                        .append("\" fill=\"none\" stroke=\"#8c959f\" stroke-dasharray=\"3 2\"/>");
            }
            String color = s.change() == null || s.change() == 0 ? "#656d76" : s.change() > 0 ? "#1a7f37" : "#cf222e";
            svg.append("<text x=\"").append(LABEL_WIDTH + Math.max(bar, before) + 6).append("\" y=\"").append(y + 17)
                    .append("\">").append(s.membersCounted() == null ? esc(s.scan()) : counted)
                    .append(" <tspan fill=\"").append(color).append("\">(").append(esc(MarkdownReport.change(s)))
                    .append(")</tspan></text></g>\n");
            y += ROW_HEIGHT;
        }
        svg.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 14)
                .append("\" fill=\"#656d76\" font-size=\"11\">filled: members now · dashed outline: previous report</text>\n");
        return svg.append("</svg>\n").toString();
    }

    private static <T> void items(StringBuilder h, String title, Listed<T> listed, Function<T, String> line) {
        if (listed.count() == 0) {
            return;
        }
        h.append("<details><summary>").append(esc(title)).append(" (").append(listed.count()).append(")</summary>\n<ul>\n");
        listed.items().stream().limit(ITEMS_SHOWN).forEach(item -> h.append("<li>").append(line.apply(item)).append("</li>\n"));
        long more = listed.count() - Math.min(listed.items().size(), ITEMS_SHOWN);
        if (more > 0) {
            h.append("<li class=\"muted\">… and ").append(more).append(" more</li>\n");
        }
        h.append("</ul></details>\n");
    }

    private static void row(StringBuilder h, String label, long count) {
        h.append("<tr><td>").append(esc(label)).append("</td><td class=\"n\">").append(count).append("</td></tr>\n");
    }

    private static String contacts(AuditReport r, List<String> ids) {
        return ids.stream().map(id -> contact(r, id)).reduce((a, b) -> a + ", " + b).orElse("");
    }

    /** The contact's id as code, a link to its page in Intercom when the report has one. */
    static String contact(AuditReport r, String id) {
        String code = "<code>" + esc(id) + "</code>";
        String url = r.contactUrl(id);
        return url == null ? code : "<a href=\"" + esc(url) + "\">" + code + "</a>";
    }

    private static String changeClass(Long change) {
        return change == null || change == 0 ? "muted" : change > 0 ? "up" : "down";
    }

    private static long value(Long v) {
        return v == null ? 0 : v;
    }

    private static String truncate(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max - 1) + "…";
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
