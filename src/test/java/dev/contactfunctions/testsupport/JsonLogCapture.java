package dev.contactfunctions.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.quarkus.logging.json.runtime.JsonFormatter;

/**
 * The lines a logger writes while open, as they are written in AWS: each record formatted at once (with the logging
 * context of that moment) by Quarkus's JSON formatter, and read back with duplicate keys refused.
 */
public final class JsonLogCapture implements AutoCloseable {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final Logger logger;
    private final List<String> json = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        private final JsonFormatter formatter = new JsonFormatter();

        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = record instanceof ExtLogRecord e ? e : ExtLogRecord.wrap(record);
            json.add(formatter.format(ext));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private JsonLogCapture(Logger logger) {
        this.logger = logger;
        logger.addHandler(handler);
    }

    /** Captures what the logger of that class writes. */
    public static JsonLogCapture of(Class<?> loggerClass) {
        return of(loggerClass.getName());
    }

    /** Captures what the logger of that name (and those under it) writes. */
    public static JsonLogCapture of(String loggerName) {
        return new JsonLogCapture(Logger.getLogger(loggerName));
    }

    /** Each captured line, read back as JSON (a line with a duplicate key fails here). */
    public List<JsonNode> lines() {
        return json.stream().map(line -> {
            if (line.strip().contains("\n")) {
                throw new AssertionError("a log line spans lines: " + line);
            }
            try {
                return STRICT.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException("not one JSON object: " + line, e);
            }
        }).toList();
    }

    /** The values of every field of that name, at any depth of a JSON line. */
    public static List<String> valuesNamed(JsonNode node, String name) {
        List<String> values = new ArrayList<>();
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals(name)) {
                values.add(field.getValue().asText());
            }
            values.addAll(valuesNamed(field.getValue(), name));
        });
        return values;
    }

    /** The raw JSON text of each captured line. */
    public List<String> raw() {
        return List.copyOf(json);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
