package dev.contactfunctions.reliability;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import dev.contactfunctions.ledger.Ledger;

/**
 * One function invocation of a random schedule, on a thread of its own, that can be paused or killed at any step. A
 * step is a call to the ledger (through {@link #gated}), a request to Intercom (through {@link IntercomSteps}), or the
 * answer about to be sent. Only one invocation runs at a time: the schedule starts one and waits until it has answered,
 * paused or died, so a schedule replays the same interleaving every time.
 *
 * <p>Killed: the thread parks for good at that step, so no {@code finally} and no later line of the function runs, as
 * when Lambda ends an invocation at its deadline. Paused: the thread waits there until {@link #resume()}, while the
 * schedule runs other invocations, or for good when the schedule {@link #kill()}s it (its deadline passed meanwhile).
 */
final class Invocation<T> {

    enum Stop {
        NONE, PAUSE, KILL
    }

    /** Where the invocation stops: at its {@code step}-th step (1-based), for a pause or for good. */
    record Plan(Stop stop, int step) {
        static final Plan NONE = new Plan(Stop.NONE, 0);

        @Override
        public String toString() {
            return stop == Stop.NONE ? "" : stop.name().toLowerCase(java.util.Locale.ROOT) + "@" + step;
        }
    }

    /** What the schedule saw: the answer, or a pause, or death. */
    sealed interface State<T> {
    }

    record Answered<T>(T answer) implements State<T> {
    }

    record Paused<T>(String at) implements State<T> {
    }

    record Killed<T>(String at) implements State<T> {
    }

    record Failed<T>(Throwable error) implements State<T> {
    }

    private static final ThreadLocal<Invocation<?>> CURRENT = new ThreadLocal<>();
    /** Every thread parked for good, so that a schedule can tell how many it left. */
    static final List<Thread> DEAD = new CopyOnWriteArrayList<>();
    private static final Duration STUCK = Duration.ofSeconds(60);

    private final String name;
    private final Plan plan;
    private final Supplier<T> work;
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<State<T>> state = new CompletableFuture<>();
    private final CountDownLatch resumed = new CountDownLatch(1);
    private volatile Thread thread;

    private Invocation(String name, Plan plan, Supplier<T> work) {
        this.name = name;
        this.plan = plan;
        this.work = work;
    }

    /** Starts {@code work} on its own thread and waits until it answers, pauses or dies. */
    static <T> Invocation<T> start(String name, Plan plan, Supplier<T> work) {
        Invocation<T> invocation = new Invocation<>(name, plan, work);
        Thread thread = new Thread(invocation::run, "schedule-" + name);
        thread.setDaemon(true);
        invocation.thread = thread;
        thread.start();
        invocation.await();
        return invocation;
    }

    private void run() {
        CURRENT.set(this);
        try {
            T answer = work.get();
            step("answer");
            state.complete(new Answered<>(answer));
        } catch (Throwable e) {
            state.complete(new Failed<>(e));
        } finally {
            CURRENT.remove();
        }
    }

    /** The state after the last start or resume. */
    State<T> state() {
        return state.getNow(null);
    }

    /** Lets a paused invocation go on, and waits until it answers or dies. */
    State<T> resume() {
        if (!(state() instanceof Paused)) {
            return state();
        }
        state = new CompletableFuture<>();
        resumed.countDown();
        return await();
    }

    /**
     * Ends a paused invocation for good where it stands, as Lambda ends one at its deadline: it never goes on, so
     * nothing it would still have written (to the ledger or to Intercom) is written.
     */
    State<T> kill() {
        if (state() instanceof Paused<T> paused) {
            DEAD.add(thread);
            state = CompletableFuture.completedFuture(new Killed<>(paused.at()));
        }
        return state();
    }

    private State<T> await() {
        try {
            return state.get(STUCK.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + " neither answered nor stopped within " + STUCK + "; steps "
                    + steps, e);
        }
    }

    List<String> steps() {
        return List.copyOf(steps);
    }

    /** A step of the invocation running on this thread, if one does: it may stop here. */
    static void atStep(String what) {
        Invocation<?> invocation = CURRENT.get();
        if (invocation != null) {
            invocation.step(what);
        }
    }

    private void step(String what) {
        steps.add(what);
        if (plan.stop() == Stop.NONE || steps.size() != plan.step()) {
            return;
        }
        if (plan.stop() == Stop.KILL) {
            DEAD.add(Thread.currentThread());
            state.complete(new Killed<>(what));
            while (true) {
                LockSupport.park(this);
            }
        }
        state.complete(new Paused<>(what));
        try {
            resumed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ledger with a step before each of its operations, for whichever invocation calls it. */
    static Ledger gated(Ledger ledger, LedgerWrites writes) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(ledger, args);
            }
            atStep("ledger." + method.getName());
            writes.record(method.getName(), args);
            try {
                return method.invoke(ledger, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] { Ledger.class },
                handler);
    }

    /** What the functions hand the ledger, for the check that nothing in it is an address or an id in clear. */
    interface LedgerWrites {
        void record(String operation, Object[] args);
    }
}
