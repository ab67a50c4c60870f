package dev.contactfunctions.intercom;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.contactfunctions.invocation.JsonMapping;

/** Turns an error response (status, headers, body of any shape) into a typed {@link IntercomException}. Never throws. */
final class IntercomErrors {

    private static final Pattern EXISTING_ID = Pattern.compile("id=([A-Za-z0-9_-]+)");
    private static final Pattern UNKNOWN_ATTRIBUTE = Pattern.compile("Custom attribute '([^']+)' does not exist");
    private static final Pattern LINK_CONTACT = Pattern.compile("<[^>]*/contacts/([A-Za-z0-9_-]+)>");
    private static final int MAX_MESSAGE = 300;

    private IntercomErrors() {
    }

    static IntercomException fromResponse(int status, String body, String rateLimitReset, String link) {
        ErrorBody error = parse(body);
        String message = error.message != null ? error.message : "HTTP " + status + describeNonJson(body);
        return switch (status) {
            case 400, 422 -> new IntercomException.InvalidRequest(status, error.code, error.field, message,
                    error.requestId);
            case 401, 403 -> new IntercomException.Unauthorized(status, error.code, message, error.requestId);
            case 404 -> new IntercomException.NotFound(error.code, message, error.requestId);
            case 409 -> new IntercomException.Conflict(message, error.requestId, existingContactId(message),
                    message.toLowerCase(java.util.Locale.ROOT).contains("archived"));
            case 410 -> new IntercomException.Gone(error.code, message, error.requestId, canonicalContactId(link));
            case 429 -> new IntercomException.RateLimited(message, error.requestId, resetInstant(rateLimitReset));
            default -> status >= 500
                    ? new IntercomException.ServerError(status, error.code, message, error.requestId)
                    : new IntercomException.Failed(status, error.code, message, error.requestId);
        };
    }

    static String existingContactId(String message) {
        if (message == null) {
            return null;
        }
        Matcher m = EXISTING_ID.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    static Optional<String> unknownCustomAttribute(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = UNKNOWN_ATTRIBUTE.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static Instant resetInstant(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(header.trim()));
        } catch (NumberFormatException | DateTimeException e) {
            // not a time a clock reads (a 17-digit number): as unknown as no header, never a failed call
            return null;
        }
    }

    static String canonicalContactId(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = LINK_CONTACT.matcher(link);
        if (m.find()) {
            return m.group(1);
        }
        try {
            String path = URI.create(link.replaceAll("[<>]", "").split(";")[0].trim()).getPath();
            return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String describeNonJson(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String flat = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
        return flat.isEmpty() ? "" : ": " + (flat.length() > MAX_MESSAGE ? flat.substring(0, MAX_MESSAGE) : flat);
    }

    private static ErrorBody parse(String body) {
        ErrorBody result = new ErrorBody();
        if (body == null || body.isBlank()) {
            return result;
        }
        try {
            JsonNode root = JsonMapping.mapper().readTree(body);
            if (root == null || !root.isObject()) {
                return result;
            }
            result.requestId = text(root.get("request_id"));
            JsonNode errors = root.get("errors");
            JsonNode first = errors != null && errors.isArray() && !errors.isEmpty() ? errors.get(0) : root;
            result.code = text(first.get("code"));
            result.message = text(first.get("message"));
            result.field = text(first.get("field"));
        } catch (Exception e) {
            // not JSON (an HTML 502 page, say): the caller describes the body instead
        }
        return result;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static final class ErrorBody {
        String code;
        String message;
        String field;
        String requestId;
    }
}
