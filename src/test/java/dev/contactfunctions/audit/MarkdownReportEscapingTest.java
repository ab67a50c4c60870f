package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Segment names, tag names and rule values come from teammates and configuration, errors from Intercom: read back by
 * a CommonMark parser (with GitHub's tables), the Markdown report made of hostile values has the same blocks and
 * markup as one made of plain values (no raw HTML, link or image, no extra heading, list item, table row or cell),
 * and each value shows exactly as written.
 */
class MarkdownReportEscapingTest {

    private static final List<Extension> GFM = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(GFM).build();

    static final List<String> HOSTILE = List.of(
            "<script>alert(\"x\")</script>",
            "<img src=x onerror=alert(1)> & co",
            "a | b | c",
            "line\r\n# heading\n- item\n| x | y |\n\n<div>",
            "carriage\rreturn",
            "`code` and ``double`` ```",
            "# not a heading",
            "## closing ##",
            "- not an item",
            "* star item",
            "+ plus item",
            "> not a quote",
            "1. not ordered",
            "12) nor this",
            "[link](https://evil.example) ![img](https://evil.example/x.png)",
            "[ref]: https://evil.example",
            "*em* _em_ **strong** ~~strike~~",
            "&amp; &lt;b&gt; &#35; &copy",
            "back\\slash\\",
            "    indented code",
            "\ttab first",
            "---",
            "===",
            "***",
            "<https://autolink.example>",
            "trailing spaces  ",
            " leading space",
            "<!-- comment -->",
            "Enterprise `seg-x` | user | 1 |");

    @Test
    void hostileValuesShowAsWrittenAndAddNoMarkupOrBlock() {
        String plain = MarkdownReport.render(report(slot -> "value" + slot));
        for (int offset = 0; offset < HOSTILE.size(); offset++) {
            int first = offset;
            UnaryOperator<String> hostile = slot -> HOSTILE.get((first + Integer.parseInt(slot)) % HOSTILE.size());
            AuditReport report = report(hostile);
            String md = MarkdownReport.render(report);
            Node document = PARSER.parse(md);

            assertThat(shape(document)).as("blocks and markup of%n%s", md).isEqualTo(shape(PARSER.parse(plain)));
            List<String> shown = textOfEachBlock(document);
            for (int slot = 0; slot < SLOTS; slot++) {
                String value = hostile.apply(Integer.toString(slot));
                assertThat(shown).as("slot %d, %s, in%n%s", slot, value, md).anySatisfy(text -> assertThat(text)
                        .contains(value));
            }
            AuditReport.SegmentReport segment = report.segments().get(0);
            assertThat(shown).as("the first segment's cell in%n%s", md).contains(segment.name() + " " + segment.id());
            AuditReport.TagRule rule = report.findings().tagDrift().rules().get(0);
            assertThat(shown).contains("Tag '" + rule.tagName() + "' on segment '" + rule.segmentName() + "': missing");
        }
    }

    @Test
    void plainValuesStayReadable() {
        assertThat(MarkdownReport.text("Enterprise (EU) plan-pro 11-50 v1.2")).isEqualTo("Enterprise (EU) plan-pro 11-50 v1.2");
        assertThat(MarkdownReport.code("6650a1b2c3")).isEqualTo("`6650a1b2c3`");
        assertThat(MarkdownReport.text("- 1. <b>")).isEqualTo("\\- 1. \\<b\\>");
    }

    private static final int SLOTS = 16;

    /**
     * A partial fix-mode report with every kind of value from outside; {@code value} fills slots "0" to "15". The first
     * segment's id is not a plain id: it shows as text, not as code.
     */
    static AuditReport report(UnaryOperator<String> value) {
        UnaryOperator<String> v = value;
        AuditReport.Run run = new AuditReport.Run("2026-05-01T020000Z-5f3a9c1e", AuditReport.Status.PARTIAL, "segments",
                Instant.parse("2026-05-01T02:00:00Z"), Instant.parse("2026-05-01T02:05:00Z"), 2, 40, v.apply("0"), null);
        List<AuditReport.SegmentReport> segments = List.of(
                new AuditReport.SegmentReport("seg`1 | x", v.apply("2"), v.apply("3"), 5, "done", 5L, 2, 3, 4L, 1L),
                new AuditReport.SegmentReport("seg-2", v.apply("4"), v.apply("1"), null, "pending", null, 0, 0, null, null));
        AuditReport.Findings findings = new AuditReport.Findings(
                new AuditReport.Listed<>(1, false, List.of(new AuditReport.UnmergedLead("lead-1", List.of("user-1"),
                        "e814ff3dc480"))),
                new AuditReport.Listed<>(0, false, List.of()),
                new AuditReport.Listed<>(1, false, List.of(new AuditReport.MissingAttributes("user-1", "user",
                        v.apply("5"), "seg-1", List.of(v.apply("6"), v.apply("7"))))),
                new AuditReport.Listed<>(1, false, List.of(new AuditReport.InvalidEmail("lead-2", "lead", v.apply("8"),
                        "b5fc85e55755"))),
                new AuditReport.InactiveLeads(0, 30, Instant.parse("2026-04-01T02:00:00Z"), false, List.of()),
                new AuditReport.TagDrift(1, 1, List.of(new AuditReport.TagRule("seg-1", v.apply("9"), v.apply("10"),
                        "7001", new AuditReport.Listed<>(1, false, List.of("user-2")),
                        new AuditReport.Listed<>(1, false, List.of("user-3")), 1))));
        AuditReport.Fixes fixes = new AuditReport.Fixes("dry-run", new AuditOptions.Caps(10, 10), List.of(
                new AuditReport.Change(FixPlanner.ADD_TAG, "user-2", null, v.apply("11"), "7001", "planned", null),
                new AuditReport.Change(FixPlanner.CREATE_TAG, null, null, v.apply("12"), null, "failed", v.apply("13")),
                new AuditReport.Change(FixPlanner.MERGE_LEAD, "lead-1", "user-1", null, null, "planned", null)),
                new AuditReport.Skipped(0, 0, 0));
        return new AuditReport(AuditReport.SCHEMA_VERSION, run, SegmentAuditServiceTest.options(AuditMode.FIX, true),
                new AuditReport.Workspace(true, 10, 4, 6, 1), segments, findings, List.of(v.apply("14"), v.apply("15")),
                fixes, null);
    }

    /** The document's nodes, by type and nesting (heading levels too): what markup and blocks it has, not the text. */
    private static List<String> shape(Node document) {
        List<String> shape = new ArrayList<>();
        walk(document, 0, shape);
        return shape;
    }

    private static void walk(Node node, int depth, List<String> shape) {
        if (node instanceof HtmlBlock || node instanceof HtmlInline || node instanceof Link || node instanceof Image) {
            shape.add("FORBIDDEN " + node);
        }
        if (!(node instanceof Text)) { // escapes and character references split text into several Text nodes
            shape.add("  ".repeat(depth) + node.getClass().getSimpleName()
                    + (node instanceof Heading h ? " " + h.getLevel() : ""));
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            walk(child, depth + 1, shape);
        }
    }

    /** The text a reader sees in each paragraph, heading and table cell. */
    private static List<String> textOfEachBlock(Node document) {
        List<String> texts = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Paragraph paragraph) {
                texts.add(text(paragraph));
            }

            @Override
            public void visit(Heading heading) {
                texts.add(text(heading));
            }

            @Override
            public void visit(CustomNode node) {
                if (node instanceof TableCell) {
                    texts.add(text(node));
                } else {
                    visitChildren(node);
                }
            }
        });
        return texts;
    }

    private static String text(Node block) {
        StringBuilder text = new StringBuilder();
        block.accept(new AbstractVisitor() {
            @Override
            public void visit(Text node) {
                text.append(node.getLiteral());
            }

            @Override
            public void visit(Code node) {
                text.append(node.getLiteral());
            }
        });
        return text.toString();
    }
}
