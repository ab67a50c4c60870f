package dev.contactfunctions.invocation;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer to a direct invocation whose event cannot be read (not JSON, a JSON array, fields of the wrong type): a
 * short error with a type and a message, no stack trace, and one log line. The message names where the event broke,
 * never its content (which may hold an address).
 */
@RegisterForReflection
public record MalformedEvent(String errorType, String errorMessage) {

    public static final String TYPE = "MalformedEvent";
    private static final Logger LOG = Logger.getLogger(MalformedEvent.class);

    /** Thrown by {@link #readObject} and by a handler that cannot turn the object into its event type. */
    public static final class Exception extends java.lang.Exception {
        public Exception(String message) {
            super(message, null, false, false);
        }
    }

    /** The event as a JSON object. */
    public static JsonNode readObject(ObjectMapper mapper, InputStream input) throws IOException, Exception {
        JsonNode event;
        try {
            event = mapper.readTree(input);
        } catch (JsonProcessingException e) {
            throw new Exception("The event is not JSON (" + where(e) + ")");
        }
        if (event == null || !event.isObject()) {
            throw new Exception("The event is " + (event == null ? "empty" : "a JSON " + event.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)) + ", not a JSON object");
        }
        return event;
    }

    /** The object could not be read as the function's event type. */
    public static Exception notA(String eventType, JsonProcessingException e) {
        return new Exception("The event is not " + eventType + " (" + where(e) + ")");
    }

    /** The answer, after one log line. */
    public static MalformedEvent answer(String function, Exception e) {
        LOG.warnf("malformed_event function=%s reason=%s", function, LogLine.quote(e.getMessage()));
        return new MalformedEvent(TYPE, e.getMessage() + ": invoke with the event AWS delivers (see infra/events)");
    }

    private static String where(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "at " + mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 0 ? "unreadable" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
}
