package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A failure the sandbox can play instead of (or before) Intercom's answer, see {@link FaultInjector}. Faults act
 * like the infrastructure in front of Intercom: they come before authentication and rate limiting, carry no
 * rate-limit headers and change no data.
 */
public sealed interface Fault {

    /** Answers this status, content type and body instead of calling the endpoint. */
    record Respond(int status, String contentType, String body) implements Fault {
        public Respond {
            Objects.requireNonNull(contentType);
            Objects.requireNonNull(body);
        }
    }

    /** Closes the connection without answering: the client sees an I/O error. Counted with status 0. */
    record DropConnection() implements Fault {
    }

    /** Waits this long (wall-clock time), then answers normally. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay);
        }
    }

    /** Intercom's error envelope with a code fitting the status (500 {@code server_error}, 503 {@code service_unavailable}, ...). */
    static Fault status(int status) {
        String code = switch (status) {
            case 408 -> "request_timeout";
            case 429 -> "rate_limit_exceeded";
            case 500 -> "server_error";
            case 502 -> "bad_gateway";
            case 503 -> "service_unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "server_error" : "client_error";
        };
        return error(status, code, "Sandbox fault: HTTP " + status);
    }

    /** Intercom's error envelope with this code and message. */
    static Fault error(int status, String code, String message) {
        return new Respond(status, "application/json",
                SandboxServer.errorBody(java.util.UUID.randomUUID().toString(), code, message));
    }

    /** An HTML page, as a load balancer answers a 502 or 504. */
    static Fault html(int status, String html) {
        return new Respond(status, "text/html; charset=utf-8", html);
    }

    static Fault body(int status, String contentType, String body) {
        return new Respond(status, contentType, body);
    }

    static Fault dropConnection() {
        return new DropConnection();
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }
}
