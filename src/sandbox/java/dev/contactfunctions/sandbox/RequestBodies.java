package dev.contactfunctions.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/** A request body's fields read the way Intercom checks them: a wrong type is a 400 {@code parameter_invalid}. */
final class RequestBodies {

    private RequestBodies() {
    }

    static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid("The request body must be a JSON object");
        }
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber() && "external_id".equals(field)) {
            return value.asText();
        }
        throw ApiError.invalid(field + " must be a string");
    }

    static Long integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw ApiError.invalid(field + " must be an integer");
        }
        return value.longValue();
    }

    static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
