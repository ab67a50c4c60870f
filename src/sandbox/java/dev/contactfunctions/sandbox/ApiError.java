package dev.contactfunctions.sandbox;

/** An error the sandbox answers the way Intercom does: an HTTP status and one {@code error.list} entry. */
final class ApiError extends RuntimeException {

    static final String USER_NOT_FOUND = "User Not Found";
    static final String RESOURCE_NOT_FOUND = "Resource Not Found";

    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError invalid(String message) {
        return new ApiError(400, "parameter_invalid", message);
    }

    static ApiError contactNotFound() {
        return new ApiError(404, "not_found", USER_NOT_FOUND);
    }

    static ApiError resourceNotFound() {
        return new ApiError(404, "not_found", RESOURCE_NOT_FOUND);
    }

    static ApiError conflict(String existingId, boolean archived) {
        return new ApiError(409, "conflict", (archived ? "An archived contact" : "A contact")
                + " matching those details already exists with id=" + existingId);
    }

    static ApiError unknownCustomAttribute(String name) {
        return invalid("Custom attribute '" + name + "' does not exist");
    }
}
