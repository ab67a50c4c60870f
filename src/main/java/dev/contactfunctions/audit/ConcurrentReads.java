package dev.contactfunctions.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

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
 * twice, nothing skipped. The longest-looking chains go first, and a slice longer than a share of the phase
 * ({@link #maxChainPages}) is split, so that no single chain is left running alone at the end.
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
        PriorityQueue<ReadChain> ready = new PriorityQueue<>(
                Comparator.comparingLong(ReadChain::pagesLeft).reversed());
        ready.addAll(run.reads);
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
                } else {
                    long today = ReadSlice.dayOf(clock.instant().getEpochSecond());
                    ready.addAll(run.pageRead(fetched.chain(), fetched.page(), options,
                            maxChainPages(run.expectedPages()), today, pseudonyms));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        if (failure != null) {
            throw failure;
        }
        if (run.reads.isEmpty()) {
            run.readPhaseDone(options);
        }
    }

    /**
     * Reads a page on a reading thread, timing the call: its time is Intercom's round trip unless it waited for a
     * window reset or was answered 429 (then it says nothing of the round trip).
     */
    private Fetched timed(ReadChain chain, String cursor) {
        RateLimitPacer.State before = workspace.rateLimitState().orElse(null);
        long started = clock.millis();
        ContactPage page = workspace.read(chain.slice(), cursor);
        long ended = clock.millis();
        RateLimitPacer.State after = workspace.rateLimitState().orElse(null);
        boolean clean = before == null || after == null
                || (before.waits() == after.waits() && before.rejections() == after.rejections());
        return new Fetched(chain, page, null, clean ? Duration.ofMillis(ended - started) : null);
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
