package dev.contactfunctions.invocation;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One structured log line: an event and its fields, each field a field of its own wherever the line goes. In AWS
 * (JSON lines) the event and every field are fields of the line under {@code mdc}, beside the invocation's
 * ({@link InvocationLog}), and the Logs Insights queries read them there. The message repeats them for a reader
 * and for the plain-text local run, {@code event key=value ...}, with a value that is not one plain word quoted and
 * escaped ({@link #quote}). So no value, whatever a request put in it, can add a field, stand in for one or break the
 * line: keys are the code's own, values are only values.
 */
public final class LogLine {

    /** The field naming what the line is about ({@code lead_capture}, {@code identify_merge}, ...). */
    public static final String EVENT = "event";
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    /** Keys the invocation's fields already use ({@link InvocationLog}), which a line must not overwrite. */
    private static final Set<String> RESERVED = Set.of(EVENT, InvocationLog.REQUEST_ID, InvocationLog.FUNCTION,
            InvocationLog.COLD_START);
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,:/@+-]+");

    private final String event;
    private final Map<String, String> fields = new LinkedHashMap<>();

    private LogLine(String event) {
        this.event = requireKey(event);
    }

    public static LogLine of(String event) {
        return new LogLine(event);
    }

    /**
     * Adds a field, or replaces the field of that key; a null value adds nothing. A collection is its items joined by
     * commas.
     *
     * @throws IllegalArgumentException when the key is not lower-case snake case or is one the invocation uses
     */
    public LogLine put(String key, Object value) {
        if (RESERVED.contains(requireKey(key))) {
            throw new IllegalArgumentException("the invocation's log fields already use " + key);
        }
        if (value != null) {
            fields.put(key, value instanceof Collection<?> items
                    ? items.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(value));
        }
        return this;
    }

    /** The field's value as logged, or null. */
    public String get(String key) {
        return fields.get(key);
    }

    /** {@code event key=value ...}, each value as {@link #quote} writes it. */
    public String message() {
        StringBuilder message = new StringBuilder(event);
        fields.forEach((key, value) -> message.append(' ').append(key).append('=').append(quote(value)));
        return message.toString();
    }

    public void info(Logger logger) {
        log(logger, Logger.Level.INFO, null);
    }

    public void warn(Logger logger) {
        log(logger, Logger.Level.WARN, null);
    }

    public void error(Logger logger, Throwable failure) {
        log(logger, Logger.Level.ERROR, failure);
    }

    /**
     * Logs the line with its fields set in the logging context for this one record (which is how Quarkus's JSON
     * formatter writes fields of a record); what the context held before under those keys is put back after.
     */
    public void log(Logger logger, Logger.Level level, Throwable failure) {
        if (!logger.isEnabled(level)) {
            return;
        }
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(EVENT, event);
        all.putAll(fields);
        all.keySet().forEach(key -> before.put(key, MDC.get(key)));
        try {
            all.forEach(MDC::put);
            logger.log(level, message(), failure);
        } finally {
            before.forEach((key, value) -> {
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            });
        }
    }

    /**
     * A value as a log message shows it: as is when it is one plain word (letters, digits, {@code _ . , : / @ + -}),
     * else in double quotes with {@code "} and {@code \} escaped and line breaks and other control characters written
     * as escapes ({@code \n}, {@code \r}, {@code \t}, {@code \u001b}), so it stays one value on one line. Also for
     * prose lines that carry a value from outside.
     */
    public static String quote(Object value) {
        String text = String.valueOf(value);
        if (PLAIN.matcher(text).matches()) {
            return text;
        }
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public String toString() {
        return message();
    }

    private static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a log field name: " + key);
        }
        return key;
    }
}
