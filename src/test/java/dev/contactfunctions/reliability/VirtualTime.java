package dev.contactfunctions.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

import dev.contactfunctions.sandbox.MutableClock;

/**
 * Time that passes only while everything that runs is waiting, as a discrete-event simulation keeps it: concurrent
 * work (Lambda invocations, a sender) {@linkplain #join() joins} while it runs and {@linkplain #leave() leaves} when it
 * ends; a wait ({@link #sleep}, {@link #sleepUntil}) on a stopped {@link MutableClock} blocks until every participant
 * waits, then the clock jumps to the earliest wake-up and whoever was due goes on. Waits are therefore as long, and
 * overlap as much, as they would in real time, at the cost of none of it: ten invocations that each wait 150 ms for
 * Intercom at once see the clock move 150 ms, not 1.5 s, and a rate-limit window on that clock sees their calls as
 * densely as it would in real time.
 *
 * <p>What runs between waits (the functions' own code, the ledger's DynamoDB calls) takes no time on this clock; a
 * real sleep of a participant holds the clock still until it ends (it is work, not a wait). A wait of code that has
 * not joined (a queue's pollers after the burst) moves the clock as soon as every participant waits as well.
 */
final class VirtualTime {

    private record Sleeper(Instant until, long order) {
    }

    private final MutableClock clock;
    private final PriorityQueue<Sleeper> sleeping = new PriorityQueue<>(
            Comparator.comparing(Sleeper::until).thenComparingLong(Sleeper::order));
    private int running;
    private long order;

    /** {@code clock} must be a stopped one ({@link MutableClock#at}): only this moves it. */
    VirtualTime(MutableClock clock) {
        this.clock = clock;
    }

    MutableClock clock() {
        return clock;
    }

    /** A participant starts: the clock does not move while it runs. */
    synchronized void join() {
        running++;
    }

    /** A participant has ended. */
    synchronized void leave() {
        if (running == 0) {
            throw new IllegalStateException("leave() without join()");
        }
        running--;
        moveWhenAllWait();
    }

    /** Waits {@code duration} on the clock (a participant's wait, or one on its behalf). */
    void sleep(Duration duration) {
        synchronized (this) {
            sleepUntil(clock.instant().plus(duration));
        }
    }

    /** Waits until {@code until} on the clock. */
    synchronized void sleepUntil(Instant until) {
        if (!until.isAfter(clock.instant())) {
            return;
        }
        Sleeper me = new Sleeper(until, order++);
        sleeping.add(me);
        moveWhenAllWait();
        while (sleeping.contains(me)) {
            try {
                wait();
            } catch (InterruptedException e) {
                sleeping.remove(me);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting on the virtual clock", e);
            }
        }
    }

    /** When every participant waits: moves the clock to the earliest wake-up and wakes whoever is due then. */
    private void moveWhenAllWait() {
        if (sleeping.isEmpty() || sleeping.size() < running) {
            return;
        }
        Instant next = sleeping.peek().until();
        Instant now = clock.instant();
        if (next.isAfter(now)) {
            clock.advance(Duration.between(now, next));
        }
        while (!sleeping.isEmpty() && !sleeping.peek().until().isAfter(clock.instant())) {
            sleeping.poll();
        }
        notifyAll();
    }
}
