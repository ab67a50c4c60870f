package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.testsupport.TickingClockSandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code ./mvnw -B verify -Dbench=schedules}: {@value #RUNS} random schedules (as {@link RandomSchedulesTest}, ten
 * times as many), one figures line: {@code schedules: runs=<n> seed=<s> deliveries=<n> accepted=<n> violations=<n>}.
 * {@code -Dschedules.seed=} replays a seed, {@code -Dschedules.runs=} changes the count.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(TickingClockSandboxResource.class)
class RandomSchedulesBenchmark extends ScheduleWorldTest {

    static final int RUNS = 2000;

    @Test
    void schedules() {
        RandomSchedules.Outcome outcome = RandomSchedules.run(world, RandomSchedules.seed(),
                Integer.getInteger("schedules.runs", RUNS));
        System.out.println(outcome.line());
        System.out.println("schedules: took_s=" + outcome.took().toSeconds());
        assertThat(outcome.violations()).as(outcome.report()).isZero();
    }
}
