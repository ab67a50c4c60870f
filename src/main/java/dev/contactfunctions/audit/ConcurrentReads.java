package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.contactfunctions.identifiers.Pseudonyms;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.intercom.RateLimitPacer;
import dev.contactfunctions.intercom.model.ContactPage;

/**
 * Reads the chains of a read phase with as many calls in flight as {@link AdaptiveConcurrency} says (from the round
 * trips and the rate-limit headers, up to {@code audit.concurrency}), each on the shared Intercom client (the same
 * retries, rate-limit pacing, circuit breaker and call budget as any call). Only the invoking thread touches the run
 * and the limiter: the reading threads fetch pages, it feeds them in as they arrive and starts the next calls, so at
 * most that many pages are held at a time however far ahead Intercom answers (back-pressure).
 *
 * <p>At the deadline, or at the first failure, no new call starts; the calls in flight are waited for and their
 * pages fed in, so the checkpoint holds each chain at the cursor after its last page fed in: nothing is counted
 * twice, nothing skipped (a page of the contacts pass kept for the segments' end is dropped, and read again). The
 * longest-looking chains go first, a slice longer than a share of the phase ({@link #maxChainPages}) is split, and
 * the contacts pass is read alongside the segments ({@link AuditRun#readAhead}), so that no single chain is left
 * running alone at the end.
 */
final class ConcurrentReads {

    /** A chain is never cut shorter than this many pages: each cut costs a partial last page and a first page. */
    static final long MIN_CHAIN_PAGES = 8;
    /** Chains per reading thread a phase is cut into at least, so that the last ones end close together. */
    static final long CHAINS_PER_THREAD = 8;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final AuditWorkspace workspace;
    private final Clock clock;
    /** Kept from one phase and one warm invocation to the next: what it learned still holds. */
    private final AdaptiveConcurrency limiter;

    private final Pseudonyms pseudonyms;

    ConcurrentReads(AuditWorkspace workspace, Clock clock, int concurrency, Pseudonyms pseudonyms) {
        this.limiter = new AdaptiveConcurrency(concurrency);
        this.workspace = workspace;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    /**
     * The longest chain worth reading as one: unlimited one call at a time (the sequential audit reads each segment
     * and the listing as one chain), else the phase's expected pages shared out to {@value #CHAINS_PER_THREAD}
     * chains per call expected in flight ({@link AdaptiveConcurrency#expected()}), at least
     * {@value #MIN_CHAIN_PAGES} pages.
     */
    long maxChainPages(long expectedPages) {
        if (limiter.max() == 1) {
            return Long.MAX_VALUE;
        }
        int concurrency = limiter.expected();
        long share = (expectedPages + concurrency * CHAINS_PER_THREAD - 1) / (concurrency * CHAINS_PER_THREAD);
        return Math.max(MIN_CHAIN_PAGES, share);
    }

    /**
     * Reads the current phase's chains until none is left (then moves the run to its next phase), the deadline, or
     * a failure (thrown once the calls in flight have ended). The first call starts without looking at the
     * deadline: the caller has just done so (or must make progress).
     */
    void readPhase(AuditRun run, AuditOptions options, Deadline deadline) {
        if (run.segmentsRead()) { // saved when only chains read ahead were left
            run.readPhaseDone(options);
        }
        if (limiter.max() > 1) { // read one at a time, the next chain waits for this one anyway
            run.openContactsPassAhead();
        }
        PriorityQueue<ReadChain> ready = readyQueue(run, run.reads);
        // pages of the contacts pass read ahead of the segments' end, fed in then (at most one per chain)
        List<Fetched> heldBack = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(limiter.max(), task -> {
            Thread thread = new Thread(task, "segment-audit-read-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<Fetched> answers = new ExecutorCompletionService<>(threads);
        int inFlight = 0;
        boolean stopping = false;
        boolean started = false;
        IntercomException failure = null;
        try {
            while (true) {
                while (!stopping && inFlight < limiter.limit() && !ready.isEmpty()) {
                    if (started && deadline.reached()) {
                        stopping = true;
                        break;
                    }
                    ReadChain chain = ready.poll();
                    String cursor = chain.cursor();
                    run.apiCalls++;
                    answers.submit(workspace.onReadingThread(() -> timed(chain, cursor))::get);
                    inFlight++;
                    started = true;
                }
                if (inFlight == 0) {
                    break;
                }
                Fetched fetched = next(answers);
                inFlight--;
                limiter.answered(fetched.roundTrip(), workspace.rateLimitState().orElse(null));
                if (fetched.failure() != null) {
                    failure = failure == null ? fetched.failure() : failure;
                    stopping = true;
                    continue;
                }
                long maxPages = maxChainPages(run.expectedPages());
                long today = ReadSlice.dayOf(clock.instant().getEpochSecond());
                if (run.readAhead(fetched.chain())) {
                    run.splitAhead(fetched.chain(), fetched.page(), maxPages, today)
                            .ifPresentOrElse(ready::addAll, () -> heldBack.add(fetched));
                    continue;
                }
                List<ReadChain> following = run.pageRead(fetched.chain(), fetched.page(), options, maxPages, today,
                        pseudonyms);
                ready.addAll(following);
                boolean segmentChainEnded = following.isEmpty() && fetched.chain().slice().segmentId() != null;
                if (segmentChainEnded && run.segmentsRead()) {
                    List<ReadChain> next = new ArrayList<>(ready);
                    next.addAll(run.readPhaseDone(options));
                    for (Fetched held : heldBack) {
                        next.addAll(run.pageRead(held.chain(), held.page(), options,
                                maxChainPages(run.expectedPages()), today, pseudonyms));
                    }
                    heldBack.clear();
                    ready = readyQueue(run, next);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        if (failure != null) {
            throw failure;
        }
        if (run.reads.isEmpty() && (run.phase == AuditRun.Phase.SEGMENTS || run.phase == AuditRun.Phase.CONTACTS)) {
            run.readPhaseDone(options);
        }
    }

    /**
     * The chains in the order to read them: in the segments phase, the contacts pass's chains that are still to be
     * split first (a few calls, so that its chains are ready when the segments end), then the segments' chains, then
     * the contacts pass's other chains, as the segments run out; within each, the longest-looking first.
     */
    private static PriorityQueue<ReadChain> readyQueue(AuditRun run, Collection<ReadChain> chains) {
        PriorityQueue<ReadChain> ready = new PriorityQueue<>(Comparator.comparingInt((ReadChain chain) -> {
            if (!run.readAhead(chain)) {
                return 1;
            }
            return chain.cursor() == null && chain.total() == null && chain.slice().isWholePass() ? 0 : 2;
        }).thenComparing(Comparator.comparingLong(ReadChain::pagesLeft).reversed()));
        ready.addAll(chains);
        return ready;
    }

    /**
     * Reads a page on a reading thread, timing the call: its time is Intercom's round trip unless it waited for a
     * window reset or was answered 429 (then it says nothing of the round trip).
     */
    private Fetched timed(ReadChain chain, String cursor) {
        Timed<ContactPage> page = timed(() -> workspace.read(chain.slice(), cursor));
        return new Fetched(chain, page.value(), null, page.roundTrip());
    }

    /**
     * A call of the run's inventory (the segment listing), on the invoking thread, its round trip told to the
     * concurrency so that the first reads start as many as it calls for, not a few to feel the way.
     */
    <T> T inventoryCall(Supplier<T> call) {
        Timed<T> timed = timed(call);
        limiter.inventoryAnswered(timed.roundTrip(), workspace.rateLimitState().orElse(null));
        return timed.value();
    }

    private <T> Timed<T> timed(Supplier<T> call) {
        RateLimitPacer.State before = workspace.rateLimitState().orElse(null);
        long started = clock.millis();
        T value = call.get();
        long ended = clock.millis();
        RateLimitPacer.State after = workspace.rateLimitState().orElse(null);
        boolean clean = before == null || after == null
                || (before.waits() == after.waits() && before.rejections() == after.rejections());
        return new Timed<>(value, clean ? Duration.ofMillis(ended - started) : null);
    }

    /** A call's value, and its round trip, or null when its time says nothing of Intercom's round trip. */
    private record Timed<T>(T value, Duration roundTrip) {
    }

    private static Fetched next(CompletionService<Fetched> answers) {
        try {
            return answers.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the workspace", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IntercomException failure) {
                return new Fetched(null, null, failure, null);
            }
            if (e.getCause() instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private record Fetched(ReadChain chain, ContactPage page, IntercomException failure, Duration roundTrip) {
    }
}
