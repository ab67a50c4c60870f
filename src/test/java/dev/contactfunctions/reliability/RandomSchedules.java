package dev.contactfunctions.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import java.util.function.Supplier;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;

import net.jqwik.api.RandomGenerator;
import net.jqwik.api.Shrinkable;
import net.jqwik.engine.execution.lifecycle.CurrentTestDescriptor;

/**
 * Runs random schedules: generates them with jqwik's {@link Schedule#arbitrary()} from one seed, replays each
 * ({@link ScheduleRun}), and shrinks the first that breaks an invariant through jqwik's shrinkables to a minimal one,
 * which can be committed as a regression scenario. The same seed replays the same schedules:
 * {@code -Dschedules.seed=<seed>}.
 *
 * <p>jqwik's engine cannot host a {@code @QuarkusTest} (the functions need the application's Intercom client, its
 * fault-tolerance guard and config), so the runs are driven from a Quarkus test with jqwik's generators and
 * shrinkables, which are the same ones its {@code @Property} uses.
 */
final class RandomSchedules {

    /** The system property that fixes the seed. */
    static final String SEED = "schedules.seed";
    /** jqwik's default generation size. */
    private static final int GEN_SIZE = 1000;
    /** Replays the shrinking may spend at most. */
    private static final int SHRINK_BUDGET = 200;
    private static final AtomicLong RUNS = new AtomicLong();
    private static final EngineDescriptor DESCRIPTOR = new EngineDescriptor(UniqueId.forEngine("random-schedules"),
            "random schedules");

    /** What a batch of schedules came to. */
    record Outcome(int runs, long seed, long deliveries, long accepted, int violations, Schedule firstFailing,
            Schedule minimal, List<String> minimalViolations, Duration took) {

        /** The figures line, in the form the docs quote. */
        String line() {
            return "schedules: runs=" + runs + " seed=" + seed + " deliveries=" + deliveries + " accepted=" + accepted
                    + " violations=" + violations;
        }

        String report() {
            if (minimal == null) {
                return line();
            }
            return line() + "\nfirst failing schedule:\n" + firstFailing + "\nshrunk to:\n" + minimal
                    + "\nwhich breaks:\n  " + String.join("\n  ", minimalViolations);
        }
    }

    private RandomSchedules() {
    }

    /** {@code -Dschedules.seed=}, else a new seed. */
    static long seed() {
        return seed(new Random().nextLong());
    }

    /** {@code -Dschedules.seed=}, else {@code otherwise}. */
    static long seed(long otherwise) {
        String given = System.getProperty(SEED);
        return given == null || given.isBlank() ? otherwise : Long.parseLong(given.trim());
    }

    /**
     * Replays {@code runs} schedules from {@code seed}; every schedule with a violation counts, and the first one is
     * shrunk.
     */
    static Outcome run(ScheduleRun.World world, long seed, int runs) {
        long started = System.nanoTime();
        RandomGenerator<Schedule> generator = jqwik(() -> Schedule.arbitrary().generator(GEN_SIZE));
        Random random = new Random(seed);
        long deliveries = 0;
        long accepted = 0;
        int violations = 0;
        Shrinkable<Schedule> firstFailing = null;
        // -Dschedules.only=<n>: generates as many as usual, replays only the n-th (0-based) of them
        int only = Integer.getInteger("schedules.only", -1);
        for (int i = 0; i < runs; i++) {
            Shrinkable<Schedule> schedule = jqwik(() -> generator.next(random));
            if (only >= 0 && i != only) {
                continue;
            }
            ScheduleRun.Verdict verdict = replay(world, value(schedule));
            deliveries += verdict.deliveries();
            accepted += verdict.accepted();
            if (!verdict.holds()) {
                violations++;
                System.out.println("schedules: run " + i + " of seed " + seed + " breaks " + verdict.violations());
                if (firstFailing == null) {
                    firstFailing = schedule;
                    System.out.println(value(schedule));
                }
            }
        }
        Schedule minimal = null;
        List<String> minimalViolations = List.of();
        if (firstFailing != null && !Boolean.getBoolean("schedules.no-shrink")) {
            Shrunk shrunk = shrink(world, firstFailing);
            minimal = value(shrunk.schedule);
            minimalViolations = shrunk.violations;
        }
        return new Outcome(runs, seed, deliveries, accepted, violations,
                firstFailing == null ? null : value(firstFailing), minimal, minimalViolations,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Runs jqwik's generation or shrinking outside a property, in a test descriptor of its own, as jqwik's own
     * {@code Arbitrary.sampleStream()} does (its generators keep their memos in the current descriptor's store).
     */
    private static <T> T jqwik(Supplier<T> code) {
        return CurrentTestDescriptor.runWithDescriptor(DESCRIPTOR, code);
    }

    private static Schedule value(Shrinkable<Schedule> schedule) {
        return jqwik(schedule::value);
    }

    static ScheduleRun.Verdict replay(ScheduleRun.World world, Schedule schedule) {
        return ScheduleRun.replay(world, schedule, Long.toString(System.nanoTime() % 1_000_000_000L, 36) + "r"
                + RUNS.incrementAndGet());
    }

    private record Shrunk(Shrinkable<Schedule> schedule, List<String> violations) {
    }

    /**
     * jqwik's shrinking, step by step: of the candidates the shrinkable offers (smaller first), the first that still
     * breaks an invariant becomes the schedule, until none does or the budget is spent.
     */
    private static Shrunk shrink(ScheduleRun.World world, Shrinkable<Schedule> failing) {
        Shrinkable<Schedule> current = failing;
        List<String> violations = replay(world, value(current)).violations();
        if (violations.isEmpty()) {
            return new Shrunk(current, List.of("(did not fail again when replayed)"));
        }
        int spent = 0;
        boolean smaller = true;
        while (smaller && spent < SHRINK_BUDGET) {
            smaller = false;
            Shrinkable<Schedule> shrinking = current;
            Iterator<Shrinkable<Schedule>> candidates = jqwik(() -> shrinking.shrink().limit(SHRINK_BUDGET).toList())
                    .iterator();
            while (candidates.hasNext() && spent < SHRINK_BUDGET) {
                Shrinkable<Schedule> candidate = candidates.next();
                spent++;
                List<String> broken = replay(world, value(candidate)).violations();
                if (!broken.isEmpty()) {
                    current = candidate;
                    violations = new ArrayList<>(broken);
                    smaller = true;
                    break;
                }
            }
        }
        System.out.println("schedules: shrunk in " + spent + " replays");
        return new Shrunk(current, violations);
    }
}
