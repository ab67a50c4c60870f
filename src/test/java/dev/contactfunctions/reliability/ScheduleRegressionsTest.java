package dev.contactfunctions.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.reliability.Invocation.Plan;
import dev.contactfunctions.reliability.Invocation.Stop;
import dev.contactfunctions.reliability.Schedule.AuditFix;
import dev.contactfunctions.reliability.Schedule.Deliver;
import dev.contactfunctions.reliability.Schedule.Fail;
import dev.contactfunctions.reliability.Schedule.Failure;
import dev.contactfunctions.reliability.Schedule.Form;
import dev.contactfunctions.reliability.Schedule.Identify;
import dev.contactfunctions.reliability.Schedule.Notify;
import dev.contactfunctions.reliability.Schedule.Resend;
import dev.contactfunctions.reliability.Schedule.Resume;
import dev.contactfunctions.reliability.Schedule.Wait;
import dev.contactfunctions.testsupport.TickingClockSandboxResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Minimal schedules the random schedules found breaking an invariant (shrunk by {@link RandomSchedules}), each replayed
 * as found, under a name that says what it is.
 */
@QuarkusTest
@TestProfile(ReliabilityProfile.class)
@WithTestResource(TickingClockSandboxResource.class)
class ScheduleRegressionsTest extends ScheduleWorldTest {

    private void holds(Schedule schedule) {
        assertThat(RandomSchedules.replay(world, schedule).violations()).as(schedule.toString()).isEmpty();
    }

    @Test
    void aFormAfterAnEmailChangeAtSignInLandsOnTheUser() {
        holds(Schedule.of(120, true,
                new Identify(0, true, 0, Plan.NONE),
                new Wait(30),
                new Form(0, 0, Plan.NONE)));
    }

    /** Found by the random schedules (seed 2, run 133), shrunk: the sign-in that changes the email loses an answer. */
    @Test
    void anEmailChangeWhoseFirstAnswerIsLostStillSetsTheNewEmail() {
        holds(Schedule.of(0, true,
                new Form(0, 0, new Plan(Stop.PAUSE, 3)),
                new Identify(0, false, 0, Plan.NONE),
                new Form(0, 0, Plan.NONE),
                new Form(0, 0, Plan.NONE),
                new Form(0, 0, Plan.NONE),
                new Resume(),
                new Form(0, 0, Plan.NONE),
                new Fail(Failure.LANDS_BEHIND_DROP, 1),
                new Identify(0, true, 0, Plan.NONE)));
    }

    /**
     * Found by the random schedules (seed 2, run 171): a sign-in changing the email is paused mid-way; a form with the
     * new email meanwhile makes a lead the ledger remembers and search does not show yet; the sign-in goes on.
     */
    @Test
    void aLeadOfTheNewEmailMadeWhileTheEmailChangeIsUnderWayIsMergedIntoTheUser() {
        holds(Schedule.of(41, true,
                new Form(1, 1, Plan.NONE),
                new Identify(1, false, 0, Plan.NONE),
                new Identify(1, true, 1, new Plan(Stop.PAUSE, 7)),
                new Wait(77),
                new Form(1, 1, Plan.NONE),
                new Fail(Failure.RATE_LIMITED, 2)));
    }

    /**
     * Found by {@code -Dbench=schedules} (seed 4103684021432684762, run 562), shrunk: a new user's sign-in is paused
     * after it claimed the email, before it remembers the user for it; 22 s later (its 20 s hold over) a form of the
     * same email, on another instance, takes the claim, does not find the user (search lag) and makes a lead. The
     * sign-in is past its 15 s deadline by then: Lambda has ended it, and its sender's retry merges the lead. The lead
     * must end merged into the user.
     */
    @Test
    void aFormWhileANewUsersSignInIsUnderWayEndsInTheUser() {
        holds(Schedule.of(23, true,
                new Identify(0, false, 0, Plan.NONE),
                new Identify(1, false, 0, new Plan(Stop.PAUSE, 9)),
                new Wait(22),
                new Deliver(false, 1, Plan.NONE, false),
                new Form(1, 1, new Plan(Stop.PAUSE, 13))));
    }

    /**
     * Found by {@code -Dbench=schedules} (seed 4103684021432684762, run 924), shrunk: a form of a person who never signs
     * in is paused just before it sends its create (written ahead); a later form finds the create unsettled and is
     * queued until the settle horizon, 15 minutes on. The paused form is past its deadline by then: Lambda has ended
     * it, so its create is never sent, and the queued form makes the person's one lead.
     */
    @Test
    void pausedFormsOfAPersonWhoNeverSignsInEndInOneLead() {
        holds(Schedule.of(1, false,
                new Form(0, 0, new Plan(Stop.PAUSE, 6)),
                new Wait(108),
                new Form(0, 0, Plan.NONE),
                new Wait(792)));
    }

    /**
     * Found by {@code -Dbench=schedules} (seed 4103684021432684762, run 1517), shrunk: a sign-in queued after 5xx
     * answers; the identify queue's consumer dies at its first step. The event source mapping gets no answer, so the
     * batch must come back after the visibility timeout and the sign-in be done.
     */
    @Test
    void aQueuedSignInWhoseConsumerDiesIsDeliveredLater() {
        holds(Schedule.of(0, true,
                new Fail(Failure.SERVER_ERROR, 3),
                new Identify(0, false, 0, Plan.NONE),
                new Form(0, 0, Plan.NONE),
                new Wait(69),
                new Deliver(true, 0, new Plan(Stop.KILL, 1), true)));
    }

    /**
     * Found by {@code -Dbench=schedules} (seed 4103684021432684762, run 1944), shrunk by hand: two people's sign-ins
     * answered 202 wait on the queue and are received in one batch; the consumer is killed in the middle of the first
     * (taken over and counted in the ledger), before the second. Both come back after the visibility timeout: the
     * first is taken over once its hold has run out, and both are done.
     */
    @Test
    void queuedSignInsWhoseConsumerIsKilledMidBatchAreDoneWhenTheyComeBack() {
        holds(Schedule.of(0, false,
                new Fail(Failure.SERVER_ERROR, 3),
                new Identify(0, false, 0, Plan.NONE),
                new Fail(Failure.SERVER_ERROR, 3),
                new Identify(1, false, 0, Plan.NONE),
                new Wait(60),
                new Deliver(true, 0, new Plan(Stop.KILL, 5), false)));
    }
}
