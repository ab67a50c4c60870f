package dev.contactfunctions.audit;

import java.util.List;
import java.util.function.Function;

import dev.contactfunctions.audit.AuditReport.Listed;

/** The report as a short Markdown summary: segments, finding counts, the first items of each finding, fixes. */
final class MarkdownReport {

    static final int ITEMS_SHOWN = 20;

    private MarkdownReport() {
    }

    static String render(AuditReport r) {
        StringBuilder md = new StringBuilder();
        AuditReport.Run run = r.run();
        md.append("# Segment audit ").append(run.id()).append(" (").append(run.status()).append(")\n\n");
        md.append("Mode: ").append(r.options().mode().wireName()).append(r.options().dryRun() ? " (dry run)" : "")
                .append(" · started ").append(run.startedAt()).append(" · generated ").append(run.generatedAt())
                .append(" · ").append(run.apiCalls()).append(" API calls in ").append(run.invocations())
                .append(" invocation(s)\n\n");
        if (!r.complete()) {
            md.append("> **Partial report**: stopped in phase `").append(run.phase()).append("` (")
                    .append(run.stopReason()).append("). The next run resumes from the checkpoint.\n\n");
        }
        AuditReport.Workspace w = r.workspace();
        if (w.scanned()) {
            md.append("Workspace: ").append(w.contacts()).append(" contacts (").append(w.users()).append(" users, ")
                    .append(w.leads()).append(" leads, ").append(w.withoutEmail()).append(" without email)\n\n");
        }

        md.append("## Segments\n\n| Segment | Type | Intercom count | Counted | Users | Leads | Change |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (AuditReport.SegmentReport s : r.segments()) {
            md.append("| ").append(cell(s.name())).append(" `").append(s.id()).append("` | ").append(cell(s.personType()))
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
                l -> "lead `" + l.leadId() + "` → " + (l.userIds().size() == 1 ? "user " : "users ") + ids(l.userIds()) + " (email " + l.emailFingerprint() + ")");
        items(md, "Users sharing an email", f.usersSharingEmail(),
                u -> "email " + u.emailFingerprint() + ": users " + ids(u.userIds()));
        items(md, "Missing required attributes", f.missingAttributes(),
                m -> m.role() + " `" + m.contactId() + "` in " + ("*".equals(m.rule()) ? "every contact" : "'" + m.rule() + "'")
                        + ": " + String.join(", ", m.missing()));
        items(md, "Invalid emails", f.invalidEmails(),
                i -> i.role() + " `" + i.contactId() + "`: " + i.reason() + " (email " + i.emailFingerprint() + ")");
        for (AuditReport.TagRule rule : f.tagDrift().rules()) {
            String title = "Tag '" + rule.tagName() + "' on segment '" + rule.segmentName() + "'";
            items(md, title + ": missing", rule.missing(), id -> "`" + id + "`");
            items(md, title + ": extra", rule.extra(), id -> "`" + id + "`");
            if (rule.unverifiable() > 0) {
                md.append("\n").append(rule.unverifiable())
                        .append(" contact(s) carry over 10 tags; Intercom listed only part of them, so they were not checked.\n");
            }
        }

        if (!r.ruleWarnings().isEmpty()) {
            md.append("\n## Rule warnings\n\n");
            r.ruleWarnings().forEach(w2 -> md.append("- ").append(w2).append("\n"));
        }

        AuditReport.Fixes fixes = r.fixes();
        if (!"off".equals(fixes.mode())) {
            md.append("\n## Fixes (").append(fixes.mode()).append(")\n\n");
            if (fixes.changes().isEmpty()) {
                md.append("Nothing to change.\n");
            }
            for (AuditReport.Change c : fixes.changes()) {
                md.append("- ").append(c.status()).append(": ").append(describe(c))
                        .append(c.error() == null ? "" : " (" + c.error() + ")").append("\n");
            }
            AuditReport.Skipped skipped = fixes.skipped();
            md.append("\nLeft alone: ").append(skipped.mergesOverCap()).append(" merges over the cap (")
                    .append(fixes.caps().merges()).append("), ").append(skipped.tagChangesOverCap())
                    .append(" tag changes over the cap (").append(fixes.caps().tagChanges()).append("), ")
                    .append(skipped.ambiguousLeads()).append(" leads whose email belongs to several users.\n");
        }
        return md.toString();
    }

    static String describe(AuditReport.Change c) {
        return switch (c.action()) {
            case FixPlanner.MERGE_LEAD -> "merge lead `" + c.contactId() + "` into user `" + c.intoUserId() + "`";
            case FixPlanner.CREATE_TAG -> "create tag '" + c.tagName() + "'";
            case FixPlanner.ADD_TAG -> "tag `" + c.contactId() + "` with '" + c.tagName() + "'";
            case FixPlanner.REMOVE_TAG -> "remove tag '" + c.tagName() + "' from `" + c.contactId() + "`";
            default -> c.action() + " " + c.contactId();
        };
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

    private static String ids(List<String> ids) {
        return ids.stream().map(id -> "`" + id + "`").reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
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
