package dev.contactfunctions.reliability;

import java.util.List;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import dev.contactfunctions.reliability.Invocation.Plan;
import dev.contactfunctions.reliability.Invocation.Stop;

/**
 * A random schedule: how one or two people's traffic reaches the three functions, and what goes wrong on the way.
 * Generated and shrunk with jqwik's arbitraries ({@link #arbitrary()}); replayed by {@link ScheduleRun}; printed
 * ({@link #toString()}) as the Java that builds it again, so that a failing schedule, once shrunk, can be committed as
 * a named regression scenario.
 *
 * @param searchLagSeconds how long Intercom's search lags every write (0 to 10 minutes)
 * @param existingUser     person 0 is already a user (external id and first email) before the schedule starts
 * @param steps            what happens, in order
 */
record Schedule(int searchLagSeconds, boolean existingUser, List<Step> steps) {

    /** People per schedule; each has an external id, a first email and the email they may change to. */
    static final int PEOPLE = 2;
    /** Function instances per function (Lambda runs several at once). */
    static final int INSTANCES = 2;
    /** Steps an invocation takes at most before it answers (ledger operations, Intercom requests, the answer). */
    static final int MAX_STOP_STEP = 14;

    Schedule {
        steps = List.copyOf(steps);
    }

    static Schedule of(int searchLagSeconds, boolean existingUser, Step... steps) {
        return new Schedule(searchLagSeconds, existingUser, List.of(steps));
    }

    sealed interface Step {
    }

    /** A form submits the person's current email to lead capture. */
    record Form(int person, int instance, Plan plan) implements Step {
    }

    /** The person signs in through identify: with their current email, or changing it to their second one. */
    record Identify(int person, boolean changeEmail, int instance, Plan plan) implements Step {
    }

    /** Intercom's {@code contact.user.created} about the person's user, when Intercom holds one by then. */
    record Notify(int person, int instance, Plan plan) implements Step {
    }

    /** The audit in fix mode merges a lead that shares the person's email into their user, if it finds both. */
    record AuditFix(int person) implements Step {
    }

    /**
     * One invocation of a function's queue consumer with the batch visible now; {@code deleteLost}: the event source
     * mapping's delete is lost, so SQS hands the done messages out again after the visibility timeout.
     */
    record Deliver(boolean identifyQueue, int instance, Plan plan, boolean deleteLost) implements Step {
    }

    /** The earliest paused invocation goes on. */
    record Resume() implements Step {
    }

    /** The sender of an earlier delivery sends it again (same key): a retry, a re-sent notification. */
    record Resend(int delivery, int instance, Plan plan) implements Step {
    }

    /** Time passes on the sandbox's clock. */
    record Wait(int seconds) implements Step {
    }

    /** The next {@code times} requests to Intercom get this answer. */
    record Fail(Failure failure, int times) implements Step {
    }

    enum Failure {
        /** 500 */
        SERVER_ERROR,
        /** 503 */
        UNAVAILABLE,
        /** 429 with the rate-limit headers' reset */
        RATE_LIMITED,
        /** the request is carried out but the client gets a 504 */
        LANDS_BEHIND_504,
        /** the request is carried out but the connection drops before the answer */
        LANDS_BEHIND_DROP
    }

    // ---------------------------------------------------------------- generation

    static Arbitrary<Schedule> arbitrary() {
        Arbitrary<Integer> lag = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 600)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(120)));
        return Combinators.combine(lag, Arbitraries.of(true, false), step().list().ofMinSize(1).ofMaxSize(12))
                .as(Schedule::new);
    }

    private static Arbitrary<Step> step() {
        Arbitrary<Integer> person = Arbitraries.integers().between(0, PEOPLE - 1);
        Arbitrary<Integer> instance = Arbitraries.integers().between(0, INSTANCES - 1);
        Arbitrary<Form> form = Combinators.combine(person, instance, plan()).as(Form::new);
        Arbitrary<Identify> identify = Combinators.combine(person, Arbitraries.of(false, true), instance, plan())
                .as(Identify::new);
        Arbitrary<Notify> notify = Combinators.combine(person, instance, plan()).as(Notify::new);
        Arbitrary<AuditFix> audit = person.map(AuditFix::new);
        Arbitrary<Deliver> deliver = Combinators.combine(Arbitraries.of(false, true), instance, plan(),
                Arbitraries.of(false, false, false, true)).as(Deliver::new);
        Arbitrary<Resend> resend = Combinators.combine(Arbitraries.integers().between(0, 7), instance, plan())
                .as(Resend::new);
        Arbitrary<Wait> wait = Arbitraries.integers().between(1, 900).map(Wait::new);
        Arbitrary<Fail> fail = Combinators.combine(Arbitraries.of(Failure.class), Arbitraries.integers().between(1, 3))
                .as(Fail::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, form),
                net.jqwik.api.Tuple.of(5, identify),
                net.jqwik.api.Tuple.of(1, notify),
                net.jqwik.api.Tuple.of(1, audit),
                net.jqwik.api.Tuple.of(3, deliver),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new Resume())),
                net.jqwik.api.Tuple.of(1, resend),
                net.jqwik.api.Tuple.of(3, wait),
                net.jqwik.api.Tuple.of(3, fail));
    }

    /** Mostly none; else a pause or a kill at a step (a small step first, shrinking toward none). */
    private static Arbitrary<Plan> plan() {
        Arbitrary<Plan> stop = Combinators.combine(Arbitraries.of(Stop.PAUSE, Stop.KILL),
                Arbitraries.integers().between(1, MAX_STOP_STEP)).as(Plan::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(Plan.NONE)),
                net.jqwik.api.Tuple.of(3, stop));
    }

    // ---------------------------------------------------------------- printing

    /** The Java that builds this schedule again, for a regression scenario. */
    @Override
    public String toString() {
        return "Schedule.of(" + searchLagSeconds + ", " + existingUser + ",\n        "
                + steps.stream().map(Schedule::java).collect(Collectors.joining(",\n        ")) + ")";
    }

    private static String java(Step step) {
        if (step instanceof Form f) {
            return "new Form(" + f.person() + ", " + f.instance() + ", " + java(f.plan()) + ")";
        } else if (step instanceof Identify i) {
            return "new Identify(" + i.person() + ", " + i.changeEmail() + ", " + i.instance() + ", "
                    + java(i.plan()) + ")";
        } else if (step instanceof Notify n) {
            return "new Notify(" + n.person() + ", " + n.instance() + ", " + java(n.plan()) + ")";
        } else if (step instanceof AuditFix a) {
            return "new AuditFix(" + a.person() + ")";
        } else if (step instanceof Deliver d) {
            return "new Deliver(" + d.identifyQueue() + ", " + d.instance() + ", " + java(d.plan()) + ", "
                    + d.deleteLost() + ")";
        } else if (step instanceof Resume) {
            return "new Resume()";
        } else if (step instanceof Resend r) {
            return "new Resend(" + r.delivery() + ", " + r.instance() + ", " + java(r.plan()) + ")";
        } else if (step instanceof Wait w) {
            return "new Wait(" + w.seconds() + ")";
        }
        Fail f = (Fail) step;
        return "new Fail(Failure." + f.failure() + ", " + f.times() + ")";
    }

    private static String java(Plan plan) {
        return plan.stop() == Stop.NONE ? "Plan.NONE" : "new Plan(Stop." + plan.stop() + ", " + plan.step() + ")";
    }
}
