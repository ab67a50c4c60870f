package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A failure the sandbox can play instead of (or before) Intercom's answer, see {@link FaultInjector}. Faults act
 * like the infrastructure in front of Intercom: they come before authentication and rate limiting, carry no
 * rate-limit headers and change no data, except {@link LandsAnyway}, whose request reaches Intercom all the same.
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

    /**
     * Holds the connection open without answering for this long (wall-clock time), then closes it: a client whose
     * read timeout is shorter gives up first. Counted with status 0.
     */
    record Stall(Duration hold) implements Fault {
        public Stall {
            Objects.requireNonNull(hold);
            if (hold.isNegative()) {
                throw new IllegalArgumentException("hold cannot be negative");
            }
        }
    }

    /**
     * An ambiguous outcome: the client gets {@code answer} (a {@link Respond} such as a 504, a
     * {@link DropConnection} or a {@link Stall} past its read timeout) and never Intercom's own answer, but the
     * request is carried out all the same, as when a gateway times out while Intercom is still working. It lands
     * when the sandbox clock reaches {@code landsAt} (null: at once, the moment the request arrives); search lag
     * counts from the landing. A write due later is carried out before the first request or state read that
     * finds the clock at or past {@code landsAt}; the request needs the right token, and an error Intercom would
     * have answered (a 409, say) means nothing lands.
     */
    record LandsAnyway(Fault answer, Instant landsAt) implements Fault {
        public LandsAnyway {
            Objects.requireNonNull(answer);
            if (!(answer instanceof Respond || answer instanceof DropConnection || answer instanceof Stall)) {
                throw new IllegalArgumentException("the client's answer must be a Respond, DropConnection or Stall");
            }
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

    static Fault stall(Duration hold) {
        return new Stall(hold);
    }

    /** The request lands at once, but the client gets {@code answer} instead of Intercom's answer. */
    static Fault landsAnyway(Fault answer) {
        return new LandsAnyway(answer, null);
    }

    /** The client gets {@code answer} now; the request lands when the sandbox clock reaches {@code landsAt}. */
    static Fault landsAt(Instant landsAt, Fault answer) {
        return new LandsAnyway(answer, Objects.requireNonNull(landsAt));
    }
}
