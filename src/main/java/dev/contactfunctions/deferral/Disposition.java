package dev.contactfunctions.deferral;

import java.time.Duration;
import java.util.Optional;

/**
 * What became of one queued message.
 * <ul>
 * <li>{@link #DONE}: delete it.</li>
 * <li>{@link #retry}: a real attempt failed; it comes back after the queue's visibility timeout, and once it has had
 * its full number of real attempts the consumer dead-letters it.</li>
 * <li>{@link #notAttempted}: nothing was tried at Intercom (no time left for a full attempt, the person's identity
 * busy): it comes back after {@code returnAfter} and no attempt is counted.</li>
 * <li>{@link #DEAD_LETTER}: it can never be processed (unreadable, no route, no longer valid): to the dead-letter queue
 * at once.</li>
 * </ul>
 *
 * @param realAttempts the real attempts counted for the delivery so far (for {@link Kind#RETRY}), else 0
 * @param returnAfter  when it should come back (for {@link Kind#NOT_ATTEMPTED}), else null
 */
public record Disposition(Kind kind, int realAttempts, Duration returnAfter) {

    public enum Kind {
        DONE, RETRY, NOT_ATTEMPTED, DEAD_LETTER
    }

    public static final Disposition DONE = new Disposition(Kind.DONE, 0, null);
    /** A failure whose attempts are not counted (or not known): left to the queue's visibility timeout. */
    public static final Disposition RETRY = new Disposition(Kind.RETRY, 0, null);
    public static final Disposition DEAD_LETTER = new Disposition(Kind.DEAD_LETTER, 0, null);

    /** A real attempt that failed; {@code realAttempts} counts it. */
    public static Disposition retry(int realAttempts) {
        return new Disposition(Kind.RETRY, realAttempts, null);
    }

    /** Nothing was tried: the message should come back after {@code returnAfter} (zero: at once). */
    public static Disposition notAttempted(Duration returnAfter) {
        return new Disposition(Kind.NOT_ATTEMPTED, 0, returnAfter.isNegative() ? Duration.ZERO : returnAfter);
    }

    public boolean isDone() {
        return kind == Kind.DONE;
    }

    public Optional<Duration> comesBackAfter() {
        return Optional.ofNullable(returnAfter);
    }
}
