package dev.contactfunctions.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code samconfig.toml}: the small TOML subset SAM writes (tables, basic strings with escapes, booleans,
 * numbers, arrays of those, comments), enough for the checks; anything else is refused rather than guessed.
 */
final class SamConfig {

    /** {@code Key=Value} or {@code Key="Value with spaces"}, as SAM CLI reads parameter overrides. */
    private static final Pattern OVERRIDE = Pattern.compile("([A-Za-z0-9]+)=(?:\"((?:\\\\.|[^\"\\\\])*)\"|(\\S+))");

    private final Map<String, Map<String, Object>> tables;

    private SamConfig(Map<String, Map<String, Object>> tables) {
        this.tables = tables;
    }

    Map<String, Map<String, Object>> tables() {
        return tables;
    }

    /** The table {@code [<environment>.<command>.parameters]}. */
    Map<String, Object> parameters(String environment, String command) {
        return tables.getOrDefault(environment + "." + command + ".parameters", Map.of());
    }

    /** The environments ({@code default}, {@code prod}, ...) that have a deploy table. */
    List<String> deployEnvironments() {
        return tables.keySet().stream().filter(t -> t.endsWith(".deploy.parameters"))
                .map(t -> t.substring(0, t.indexOf('.'))).toList();
    }

    /** An environment's template parameter overrides, as SAM CLI would pass them. */
    Map<String, String> parameterOverrides(String environment) {
        Object value = parameters(environment, "deploy").get("parameter_overrides");
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> items.add(String.valueOf(v)));
        } else if (value != null) {
            items.add(String.valueOf(value));
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        items.forEach(item -> overrides.putAll(keyValues(item)));
        return overrides;
    }

    /** {@code Key=Value Key2="Value 2"}: a parameter override or a {@code tags} value, as SAM CLI reads it. */
    static Map<String, String> keyValues(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        Matcher m = OVERRIDE.matcher(value);
        while (m.find()) {
            tags.put(m.group(1), m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
        }
        return tags;
    }

    static SamConfig parse(String text) {
        Map<String, Map<String, Object>> tables = new LinkedHashMap<>();
        Map<String, Object> current = new LinkedHashMap<>();
        tables.put("", current);
        Parser p = new Parser(text);
        while (p.skipBlankAndComments()) {
            if (p.peek() == '[') {
                String name = p.until(']').substring(1).trim();
                p.next();
                current = tables.computeIfAbsent(name, n -> new LinkedHashMap<>());
            } else {
                String key = p.until('=').trim();
                p.next();
                current.put(key, p.value());
            }
        }
        return new SamConfig(tables);
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        char peek() {
            return text.charAt(at);
        }

        char next() {
            return text.charAt(at++);
        }

        /** Skips white space, new lines and comments; false at the end. */
        boolean skipBlankAndComments() {
            while (at < text.length()) {
                char c = peek();
                if (c == '#') {
                    while (at < text.length() && peek() != '\n') {
                        at++;
                    }
                } else if (Character.isWhitespace(c)) {
                    at++;
                } else {
                    return true;
                }
            }
            return false;
        }

        String until(char stop) {
            int start = at;
            while (at < text.length() && peek() != stop && peek() != '\n') {
                at++;
            }
            if (at >= text.length() || peek() != stop) {
                throw new IllegalArgumentException("expected '" + stop + "' after: " + text.substring(start, at));
            }
            return text.substring(start, at);
        }

        Object value() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '[') {
                next();
                List<Object> items = new ArrayList<>();
                while (skipBlankAndComments() && peek() != ']') {
                    items.add(value());
                    skipBlankAndComments();
                    if (peek() == ',') {
                        next();
                    }
                }
                next();
                return items;
            }
            int start = at;
            while (at < text.length() && !Character.isWhitespace(peek()) && peek() != ',' && peek() != ']'
                    && peek() != '#') {
                at++;
            }
            String bare = text.substring(start, at);
            if (bare.equals("true") || bare.equals("false")) {
                return Boolean.valueOf(bare);
            }
            if (bare.matches("[+-]?[0-9][0-9_.eE+-]*")) {
                return bare;
            }
            throw new IllegalArgumentException("unsupported TOML value: " + bare);
        }

        private String string() {
            next();
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char escaped = next();
                    switch (escaped) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case '"', '\\' -> out.append(escaped);
                        default -> throw new IllegalArgumentException("unsupported escape \\" + escaped);
                    }
                } else if (c == '\n') {
                    throw new IllegalArgumentException("unterminated string");
                } else {
                    out.append(c);
                }
            }
        }
    }
}
