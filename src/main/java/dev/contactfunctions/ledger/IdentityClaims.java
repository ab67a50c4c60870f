package dev.contactfunctions.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Claims an identity for one delivery and, when another delivery holds it, waits briefly for that holder to finish:
 * every webhook's work on a person starts here. Answers {@link Claim.Won} (read, find or create the contact and write
 * to it, then {@code remember}, {@code forget} or {@code release}), or {@link Claim.Held} once the wait is over, in
 * which case the caller defers the delivery (the queue keeps one person's deliveries in order) instead of writing
 * beside the holder.
 */
@ApplicationScoped
public class IdentityClaims {

    static final Duration FIRST_POLL = Duration.ofMillis(50);
    static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final IdentityLedger ledger;
    private final Duration hold;
    private final Duration maxWait;
    private final Clock clock;
    private final Sleeper sleeper;

    /** Public so that a test can build several instances over one ledger, as separate Lambda instances are. */
    @Inject
    public IdentityClaims(IdentityLedger ledger, LedgerConfig config, Clock clock) {
        this(ledger, config.claimHold(), config.claimWait(), clock, Sleeper.THREAD);
    }

    IdentityClaims(IdentityLedger ledger, Duration hold, Duration maxWait, Clock clock, Sleeper sleeper) {
        this.ledger = ledger;
        this.hold = hold;
        this.maxWait = maxWait;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Claims {@code identity} for {@code owner} (the delivery id), polling while another holder has not finished, for
     * at most the configured wait and never longer than {@code budgetLeft} (the invocation's remaining call budget).
     */
    public Claim claim(String identity, String owner, Duration budgetLeft) {
        Duration wait = budgetLeft.compareTo(maxWait) < 0 ? budgetLeft : maxWait;
        Instant giveUpAt = clock.instant().plus(wait);
        Duration delay = FIRST_POLL;
        Duration slept = Duration.ZERO;
        while (true) {
            Claim claim = ledger.claim(identity, owner, hold);
            if (!(claim instanceof Claim.Held)) {
                return claim;
            }
            // the time slept counts as well as the clock, so that a clock that does not move (a test's) ends the wait
            if (clock.instant().plus(delay).isAfter(giveUpAt) || slept.plus(delay).compareTo(wait) > 0) {
                return claim;
            }
            sleeper.sleep(delay);
            slept = slept.plus(delay);
            delay = delay.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : delay.multipliedBy(2);
        }
    }

    /**
     * Claims every one of {@code identities} for {@code owner}, in one order (so that two deliveries wanting the same
     * identities never wait for each other in a circle), each as {@link #claim} does; when one stays held by another
     * delivery, releases those already won and throws {@link IdentityBusyException}.
     */
    public HeldIdentities hold(String owner, Duration budgetLeft, String... identities) {
        Map<String, Claim.Won> won = new LinkedHashMap<>();
        for (String identity : new TreeSet<>(Arrays.asList(identities))) {
            if (claim(identity, owner, budgetLeft) instanceof Claim.Won claim) {
                won.put(identity, claim);
            } else {
                won.keySet().forEach(held -> ledger.release(held, owner));
                throw new IdentityBusyException(identity);
            }
        }
        return new HeldIdentities(ledger, owner, hold, won);
    }

    /** The hold every claim of this service asks for. */
    public Duration hold() {
        return hold;
    }

    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an identity claim", e);
            }
        };

        void sleep(Duration duration);
    }
}
