package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TickingClockSandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The random schedules in every build: {@value #RUNS} schedules (see {@link Schedule} for what they hold and
 * {@link ScheduleRun} for the invariants), from the seed {@value #BUILD_SEED} unless {@code -Dschedules.seed=} gives
 * another. A
 * failing run prints the seed, the first failing schedule and the minimal one it shrinks to, as Java for
 * {@link ScheduleRegressionsTest}.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(TickingClockSandboxResource.class)
class RandomSchedulesTest extends ScheduleWorldTest {

    /** At least this many in every build; {@code -Dschedules.runs=} for more (or fewer while working on a fix). */
    static final int RUNS = 200;
    /**
     * The build replays the same schedules every time, so that a build fails only for a change (a new seed each time
     * would fail builds by chance); {@code -Dschedules.seed=} and the bench explore others.
     */
    static final long BUILD_SEED = 3;

    @Test
    void everyScheduleKeepsOneContactPerPersonWithTheValuesOfWhatWasAccepted() {
        RandomSchedules.Outcome outcome = RandomSchedules.run(world, RandomSchedules.seed(BUILD_SEED),
                Integer.getInteger("schedules.runs", RUNS));
        System.out.println(outcome.line());
        System.out.println("schedules: took_s=" + outcome.took().toSeconds());
        assertThat(outcome.violations()).as(outcome.report()).isZero();
    }
}
