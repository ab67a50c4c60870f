package dev.contactfunctions.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to: tests advance it instead of sleeping (search lag, rate-limit windows).
 *
 * <p>A {@linkplain #ticking() ticking} one also moves with the system clock, so that code which waits in real time
 * (a claim wait, a call's latency, a rate-limit window) sees time pass, while the test still jumps it forward by the
 * minutes a queue delay or a search lag takes.
 */
public final class MutableClock extends Clock {

    /** The frozen instant; or, when ticking, how far ahead of the system clock this clock is. */
    private final AtomicReference<Instant> now;
    private final AtomicReference<Duration> ahead;
    private final ZoneId zone;

    private MutableClock(AtomicReference<Instant> now, AtomicReference<Duration> ahead, ZoneId zone) {
        this.now = now;
        this.ahead = ahead;
        this.zone = zone;
    }

    public static MutableClock at(Instant start) {
        return new MutableClock(new AtomicReference<>(start), null, ZoneOffset.UTC);
    }

    /** Starts at the current time, truncated to the second. */
    public static MutableClock startingNow() {
        return at(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Runs with the system clock, plus whatever it has been advanced by. It cannot be {@linkplain #set set}. */
    public static MutableClock ticking() {
        return new MutableClock(null, new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
    }

    public MutableClock advance(Duration duration) {
        if (ahead != null) {
            ahead.updateAndGet(d -> d.plus(duration));
        } else {
            now.updateAndGet(i -> i.plus(duration));
        }
        return this;
    }

    public MutableClock set(Instant instant) {
        if (ahead != null) {
            throw new IllegalStateException("a ticking clock can only be advanced");
        }
        now.set(instant);
        return this;
    }

    @Override
    public Instant instant() {
        return ahead != null ? Instant.now().plus(ahead.get()) : now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(now, ahead, zone);
    }
}
