package dev.contactfunctions.reliability;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.testsupport.InjectSandbox;

/**
 * What every class that replays schedules shares: a fresh {@link ScheduleRun.World} (the fleet on the sandbox's clock)
 * for each test. The concrete classes carry the Quarkus test annotations, one profile for all of them.
 */
abstract class ScheduleWorldTest {

    @InjectSandbox
    IntercomSandbox sandbox;
    @Inject
    Fleet.Factory fleets;

    ScheduleRun.World world;

    @BeforeEach
    void oneWorld() {
        Fleet.defineEventAttributes(sandbox);
        world = new ScheduleRun.World(sandbox, fleets.on(sandbox.clock()));
    }

    @AfterEach
    void closeIt() throws Exception {
        world.close();
    }
}
