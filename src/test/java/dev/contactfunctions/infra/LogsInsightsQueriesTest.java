package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.invocation.InvocationLog;
import dev.contactfunctions.invocation.LogLine;
import dev.contactfunctions.testsupport.JsonLogCapture;
import dev.contactfunctions.testsupport.LogsInsightsQuery;
import dev.contactfunctions.testsupport.TestLambdaContext;

/**
 * The queries in {@code infra/logs-insights} read the JSON lines the functions write in AWS: sample lines, written
 * with {@link LogLine} inside an {@link InvocationLog} and formatted by Quarkus's JSON formatter, have every field a
 * query names, every {@code parse} pattern of a query finds its value in the messages the query is about, and a value
 * from a request cannot stand in for a field the query reads.
 */
class LogsInsightsQueriesTest {

    private static final Pattern LIKE = Pattern.compile("(?<!@)message like /(.+?)/");

    /** One line a function writes: a {@link LogLine}, or a prose message. */
    private record Sample(String function, Logger.Level level, Object line) {
    }

    /** Each query that reads the functions' own lines, with sample lines of what it is about. */
    private static final Map<String, List<Sample>> SAMPLES = Map.of(
            "deliveries.query", List.of(
                    new Sample("lead-capture", Logger.Level.INFO, LogLine.of("lead_capture").put("status", 200)
                            .put("outcome", "created").put("contact_id", "6650a1").put("role", "lead")
                            .put("replayed", false).put("delivery_id", "landing-7f3c2a9e-0001")
                            .put("email_fp", "e814ff3dc480").put("duration_ms", 41)),
                    new Sample("identify-merge", Logger.Level.INFO, LogLine.of("identify_merge")
                            .put("route", "/webhooks/identify").put("email_fp", "b5fc85e55755").put("user_created", false)
                            .put("user_id", "6630d3c1").put("merged", 1).put("attributes_copied", 3).put("skipped", 0)
                            .put("excess_leads", 0).put("outcome", "merged").put("status", 200)
                            .put("duration_ms", 35))),
            "audit-runs.query", List.of(
                    new Sample("segment-audit", Logger.Level.INFO, LogLine.of("segment_audit_summary")
                            .put("run", "2026-05-01T020000Z-5f3a9c1e").put("status", "complete").put("phase", "done")
                            .put("invocations", 1).put("api_calls", 7).put("segments", 4).put("contacts", 8)
                            .put("unmerged_leads", 1).put("users_sharing_email", 0))),
            "errors.query", List.of(
                    new Sample("identify-merge", Logger.Level.WARN, "malformed_event function=identify-merge"
                            + " reason=\"The event is not JSON (line 1, column 4)\"")));

    @Test
    void theFunctionsLinesAreJsonWithTheRequestFunctionAndColdStart() {
        JsonNode first = line(new Sample("lead-capture", Logger.Level.INFO, LogLine.of("lead_capture").put("status", 200)));
        JsonNode second = line(new Sample("lead-capture", Logger.Level.INFO, "lead_capture status=200"));

        assertThat(first.get("mdc").get(InvocationLog.REQUEST_ID).asText()).isEqualTo("test");
        assertThat(first.get("mdc").get(InvocationLog.FUNCTION).asText()).isEqualTo("lead-capture");
        assertThat(second.get("mdc").get(InvocationLog.COLD_START).asText()).isEqualTo("false");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("message").asText()).isEqualTo("lead_capture status=200");
        assertThat(first.get("mdc").get(LogLine.EVENT).asText()).isEqualTo("lead_capture");
        assertThat(first.get("mdc").get("status").asText()).isEqualTo("200");
        assertThat(second.get("mdc").has("status")).as("a line's fields are its own").isFalse();
    }

    @Test
    void everyQueryReadsFieldsAndValuesTheLinesHave() {
        for (Map.Entry<String, List<Sample>> entry : SAMPLES.entrySet()) {
            LogsInsightsQuery query = LogsInsightsQuery.read(entry.getKey());
            List<JsonNode> lines = entry.getValue().stream().map(LogsInsightsQueriesTest::line).toList();

            for (String field : query.fieldsNamed()) {
                assertThat(lines).as("%s names %s", query.name(), field)
                        .allSatisfy(line -> assertThat(line.at("/" + field.replace('.', '/')).isMissingNode())
                                .as("%s in %s", field, line).isFalse());
            }
            for (String regex : query.parsePatterns()) {
                assertThat(lines).as("%s: parse /%s/", query.name(), regex).allSatisfy(line ->
                        assertThat(Pattern.compile(regex).matcher(line.get("message").asText()).find()).isTrue());
            }
            for (String regex : LogsInsightsQuery.matches(LIKE, query.body())) {
                assertThat(lines).as("%s: like /%s/", query.name(), regex).anySatisfy(line ->
                        assertThat(Pattern.compile(regex).matcher(line.get("message").asText()).find()).isTrue());
            }
        }
    }

    @Test
    void aValueFromARequestCannotStandInForAFieldTheQueriesRead() {
        String forged = "k-status=500,outcome=forged,duration_ms=999999\" status=500 outcome=forged";
        JsonNode delivery = line(new Sample("lead-capture", Logger.Level.INFO, LogLine.of("lead_capture")
                .put("delivery_id", forged).put("status", 200).put("outcome", "created").put("duration_ms", 41)));
        JsonNode audit = line(new Sample("segment-audit", Logger.Level.INFO, LogLine.of("segment_audit_summary")
                .put("stop_reason", "x run=forged status=forged api_calls=0 unmerged_leads=0").put("run", "r1")
                .put("status", "partial").put("api_calls", 7).put("unmerged_leads", 1)));

        assertThat(LogsInsightsQuery.read("deliveries.query").valuesOf(delivery)).containsEntry("status", "200")
                .containsEntry("outcome", "created").containsEntry("durationms", "41");
        assertThat(LogsInsightsQuery.read("audit-runs.query").valuesOf(audit)).containsEntry("run", "r1")
                .containsEntry("status", "partial").containsEntry("apicalls", "7").containsEntry("unmergedleads", "1");
        assertThat(delivery.get("mdc").get("delivery_id").asText()).isEqualTo(forged);
    }

    // ---------------------------------------------------------------- Lambda's REPORT lines

    /** REPORT lines as Lambda writes them: a booted environment, one restored from a SnapStart snapshot, a warm one. */
    private static final String BOOTED = "REPORT RequestId: 3f5c2a9e-0001-4c3e-9d51-2f6b8e0c4a17\tDuration: 812.31 ms"
            + "\tBilled Duration: 813 ms\tMemory Size: 512 MB\tMax Memory Used: 98 MB\tInit Duration: 183.52 ms\t";
    private static final String RESTORED = "REPORT RequestId: 3f5c2a9e-0002-4c3e-9d51-2f6b8e0c4a17\tDuration: 95.12 ms"
            + "\tBilled Duration: 266 ms\tMemory Size: 1024 MB\tMax Memory Used: 140 MB\tRestore Duration: 312.45 ms"
            + "\tBilled Restore Duration: 170 ms\t";
    private static final String WARM = "REPORT RequestId: 3f5c2a9e-0003-4c3e-9d51-2f6b8e0c4a17\tDuration: 41.07 ms"
            + "\tBilled Duration: 42 ms\tMemory Size: 1024 MB\tMax Memory Used: 141 MB\t";
    /** The fields Logs Insights discovers in a REPORT line, and the words they come from. */
    private static final Map<String, String> DISCOVERED = Map.of("@duration", "Duration", "@billedDuration",
            "Billed Duration", "@memorySize", "Memory Size", "@maxMemoryUsed", "Max Memory Used", "@initDuration",
            "Init Duration");
    private static final Pattern PARSE_RAW = Pattern.compile("parse @message /(.+?)/\\s*$", Pattern.MULTILINE);
    private static final Pattern IS_PRESENT = Pattern.compile("ispresent\\(([@\\w]+)\\)");

    @Test
    void theColdStartQueriesCountABootAndASnapStartRestoreAsColdStartsAndNothingElse() {
        for (String query : List.of("cold-starts.query", "cold-starts-by-hour.query")) {
            String text = LogsInsightsQuery.read(query).body();

            assertThat(coldStart(text, BOOTED)).as("%s: a booted environment (Init Duration)", query).isTrue();
            assertThat(coldStart(text, RESTORED)).as("%s: a SnapStart restore (Restore Duration)", query).isTrue();
            assertThat(coldStart(text, WARM)).as("%s: a warm invocation", query).isFalse();
            assertThat(fields(text, RESTORED)).as("%s reads the restore's duration", query)
                    .containsValue("312.45");
        }
    }

    /** Whether one of the query's {@code ispresent(...)} tests, which tell its cold starts, holds for the line. */
    private static boolean coldStart(String query, String reportLine) {
        Map<String, String> fields = fields(query, reportLine);
        List<String> tests = LogsInsightsQuery.matches(IS_PRESENT, query);
        assertThat(tests).as("the query tells cold starts with ispresent(...)").isNotEmpty();
        return tests.stream().anyMatch(fields::containsKey);
    }

    /** The fields a line has for the query: those Logs Insights discovers, and those the query's parse extracts. */
    private static Map<String, String> fields(String query, String reportLine) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("@type", "REPORT");
        DISCOVERED.forEach((field, words) -> {
            Matcher m = Pattern.compile("(?:^|\t)" + words + ": ([0-9.]+) ").matcher(reportLine);
            if (m.find()) {
                fields.put(field, m.group(1));
            }
        });
        for (String regex : LogsInsightsQuery.matches(PARSE_RAW, query)) {
            Matcher m = Pattern.compile(regex).matcher(reportLine);
            Matcher names = Pattern.compile("\\(\\?<(\\w+)>").matcher(regex);
            boolean found = m.find();
            while (names.find()) {
                if (found && m.group(names.group(1)) != null) {
                    fields.put(names.group(1), m.group(names.group(1)));
                }
            }
        }
        return fields;
    }

    /** One line as the function writes it in AWS. */
    private static JsonNode line(Sample sample) {
        Logger logger = Logger.getLogger("dev.contactfunctions.sample." + sample.function());
        try (JsonLogCapture capture = JsonLogCapture.of(logger.getName());
                InvocationLog log = InvocationLog.begin(sample.function(),
                        new TestLambdaContext(sample.function(), Duration.ofSeconds(15)))) {
            if (sample.line() instanceof LogLine structured) {
                structured.log(logger, sample.level(), null);
            } else {
                logger.log(sample.level(), sample.line());
            }
            assertThat(capture.lines()).as("one line").hasSize(1);
            return capture.lines().get(0);
        }
    }

}
