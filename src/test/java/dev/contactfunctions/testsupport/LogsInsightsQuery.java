package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A query of {@code infra/logs-insights} as Logs Insights reads the functions' JSON lines: the fields it names
 * ({@code mdc.*}, {@code level}, {@code message}) and the values its {@code parse message /.../} patterns extract
 * (the first match, as Logs Insights does).
 */
public record LogsInsightsQuery(String name, String body) {

    public static final Path QUERIES = Path.of("infra", "logs-insights");
    private static final Pattern FIELD = Pattern.compile("(?<![@\\w.])(mdc\\.\\w+|level|message)\\b");
    private static final Pattern PARSE = Pattern.compile("parse message /(.+?)/\\s*$", Pattern.MULTILINE);
    private static final Pattern GROUP = Pattern.compile("\\(\\?<(\\w+)>");

    public static LogsInsightsQuery read(String name) {
        try {
            String text = Files.readString(QUERIES.resolve(name));
            return new LogsInsightsQuery(name, text.lines().filter(l -> !l.startsWith("#"))
                    .reduce("", (a, b) -> a + b + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line fields the query names, e.g. {@code mdc.outcome}. */
    public List<String> fieldsNamed() {
        return matches(FIELD, body);
    }

    /** The regular expressions of its {@code parse message} commands. */
    public List<String> parsePatterns() {
        return matches(PARSE, body);
    }

    /**
     * What the query reads from one line, by name without {@code mdc.}, underscores or case ({@code mdc.duration_ms}
     * and a parsed {@code durationMs} are both {@code durationms}): each field it names that the line has, then what
     * each parse extracts.
     */
    public Map<String, String> valuesOf(JsonNode line) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String field : fieldsNamed()) {
            JsonNode value = line.at("/" + field.replace('.', '/'));
            if (!value.isMissingNode()) {
                values.put(normal(field.replaceFirst("^mdc\\.", "")), value.asText());
            }
        }
        String message = line.path("message").asText();
        for (String regex : parsePatterns()) {
            Matcher m = Pattern.compile(regex).matcher(message);
            if (m.find()) {
                for (String group : matches(GROUP, regex)) {
                    values.put(normal(group), m.group(group));
                }
            }
        }
        return values;
    }

    private static String normal(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** The first group of every match of the pattern in the text, in order. */
    public static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
