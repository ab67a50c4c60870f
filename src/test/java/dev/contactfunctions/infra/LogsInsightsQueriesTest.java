package dev.contactfunctions.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.contactfunctions.support.InvocationLog;
import dev.contactfunctions.testsupport.TestLambdaContext;
import io.quarkus.logging.json.runtime.JsonFormatter;

/**
 * The queries in {@code infra/logs-insights} read the JSON lines the functions write in AWS: sample lines, formatted
 * by Quarkus's JSON formatter with the fields {@link InvocationLog} sets, have every field a query names, and every
 * {@code parse} pattern of a query finds its value in the messages the query is about.
 */
class LogsInsightsQueriesTest {

    private static final Path QUERIES = Path.of("infra", "logs-insights");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIELD = Pattern.compile("(?<![@\\w.])(mdc\\.\\w+|level|message)\\b");
    private static final Pattern PARSE = Pattern.compile("parse message /(.+?)/\\s*$", Pattern.MULTILINE);
    private static final Pattern LIKE = Pattern.compile("(?<!@)message like /(.+?)/");

    /** Each query that reads the functions' own lines, with sample lines of what it is about. */
    private static final Map<String, List<String[]>> SAMPLES = Map.of(
            "deliveries.query", List.of(
                    new String[] { "lead-capture", "INFO", "lead_capture status=200 outcome=created contact_id=6650a1"
                            + " role=lead replayed=false delivery_id=landing-7f3c2a9e-0001 email_fp=e814ff3dc480"
                            + " duration_ms=41" },
                    new String[] { "identify-merge", "INFO", "identify_merge route=/webhooks/identify"
                            + " email_fp=b5fc85e55755 user_created=false user_id=6630d3c1 merged=1 attributes_copied=3"
                            + " skipped=0 excess_leads=0 status=200 outcome=merged duration_ms=35" }),
            "audit-runs.query", List.<String[]>of(
                    new String[] { "segment-audit", "INFO", "segment_audit_summary run=2026-05-01T020000Z-5f3a9c1e"
                            + " status=complete phase=done invocations=1 api_calls=7 segments=4 contacts=8"
                            + " unmerged_leads=1 users_sharing_email=0" }),
            "errors.query", List.<String[]>of(
                    new String[] { "identify-merge", "WARN", "malformed_event function=identify-merge"
                            + " reason=\"The event is not JSON (line 1, column 4)\"" }));

    @Test
    void theFunctionsLinesAreJsonWithTheRequestFunctionAndColdStart() throws Exception {
        JsonNode first = line("lead-capture", "INFO", "lead_capture status=200");
        JsonNode second = line("lead-capture", "INFO", "lead_capture status=200");

        assertThat(first.get("mdc").get(InvocationLog.REQUEST_ID).asText()).isEqualTo("test");
        assertThat(first.get("mdc").get(InvocationLog.FUNCTION).asText()).isEqualTo("lead-capture");
        assertThat(second.get("mdc").get(InvocationLog.COLD_START).asText()).isEqualTo("false");
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("message").asText()).isEqualTo("lead_capture status=200");
    }

    @Test
    void everyQueryReadsFieldsAndValuesTheLinesHave() throws Exception {
        for (Map.Entry<String, List<String[]>> query : SAMPLES.entrySet()) {
            String text = body(Files.readString(QUERIES.resolve(query.getKey())));
            List<JsonNode> lines = new ArrayList<>();
            for (String[] sample : query.getValue()) {
                lines.add(line(sample[0], sample[1], sample[2]));
            }

            for (String field : matches(FIELD, text)) {
                assertThat(lines).as("%s names %s", query.getKey(), field)
                        .allSatisfy(line -> assertThat(line.at("/" + field.replace('.', '/')).isMissingNode())
                                .as("%s in %s", field, line).isFalse());
            }
            for (String regex : matches(PARSE, text)) {
                assertThat(lines).as("%s: parse /%s/", query.getKey(), regex).allSatisfy(line ->
                        assertThat(Pattern.compile(regex).matcher(line.get("message").asText()).find()).isTrue());
            }
            for (String regex : matches(LIKE, text)) {
                assertThat(lines).as("%s: like /%s/", query.getKey(), regex).anySatisfy(line ->
                        assertThat(Pattern.compile(regex).matcher(line.get("message").asText()).find()).isTrue());
            }
        }
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
    void theColdStartQueriesCountABootAndASnapStartRestoreAsColdStartsAndNothingElse() throws IOException {
        for (String query : List.of("cold-starts.query", "cold-starts-by-hour.query")) {
            String text = body(Files.readString(QUERIES.resolve(query)));

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
        List<String> tests = matches(IS_PRESENT, query);
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
        for (String regex : matches(PARSE_RAW, query)) {
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
    private static JsonNode line(String function, String level, String message) throws IOException {
        try (InvocationLog log = InvocationLog.begin(function, new TestLambdaContext(function, Duration.ofSeconds(15)))) {
            ExtLogRecord record = new ExtLogRecord(org.jboss.logmanager.Level.parse(level), message,
                    ExtLogRecord.FormatStyle.NO_FORMAT, LogsInsightsQueriesTest.class.getName());
            record.setLoggerName("dev.contactfunctions." + function);
            record.copyMdc();
            String json = new JsonFormatter().format(record);
            assertThat(json.strip()).as("one line").doesNotContain("\n").isNotBlank();
            return JSON.readTree(json);
        }
    }

    /** The query without its comment lines. */
    private static String body(String query) {
        return query.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
