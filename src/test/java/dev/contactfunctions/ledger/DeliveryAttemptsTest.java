package dev.contactfunctions.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.DeferredDelivery;
import dev.contactfunctions.deferral.DeliveryLifecycle;
import dev.contactfunctions.deferral.Disposition;
import dev.contactfunctions.deferral.InMemoryDeferralQueue;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.sandbox.MutableClock;

/** How the queue consumer's deliveries count their real attempts at Intercom in the ledger. */
class DeliveryAttemptsTest {

    private final MutableClock clock = MutableClock.startingNow();
    private final InMemoryLedger ledger = new InMemoryLedger(clock);
    private final DeliveryLifecycle lifecycle = new DeliveryLifecycle(ledger, new InMemoryDeferralQueue(),
            LedgerProducerTest.config(Optional.empty(), Optional.<URI>empty()), clock);
    private final DeferredDelivery delivery = DeferredDelivery.first("lead-capture",
            JsonNodeFactory.instance.objectNode(), IdentityLedger.email(TestPseudonyms.LOCAL, "ada@example.com"),
            "lead-capture:" + UUID.randomUUID(), clock.instant());

    /** The consumer's receive number {@code attempt} of the delivery. */
    private Disposition resume(int attempt, RuntimeException failure) {
        return lifecycle.resume(delivery.withAttempt(attempt), delivery.deliveryId(), null, () -> {
            throw failure;
        }, DeliveryLifecycle.TRANSIENT);
    }

    @Test
    void eachFailedAttemptIsCountedAndReported() {
        RuntimeException outage = new IntercomException.Unavailable(IntercomException.Unavailable.Reason.TIMEOUT,
                "Intercom could not be reached", null);

        assertThat(resume(2, outage)).isEqualTo(Disposition.retry(1));
        assertThat(resume(3, outage)).isEqualTo(Disposition.retry(2));
        assertThat(lifecycle.resume(delivery.withAttempt(4), delivery.deliveryId(), null,
                () -> Map.of("contact_id", "c1"), DeliveryLifecycle.TRANSIENT)).isEqualTo(Disposition.DONE);
        assertThat(ledger.countAttempt(delivery.deliveryId(), "5")).isEqualTo(4);
    }

    @Test
    void waitingForABusyIdentityIsNoAttemptAndComesBackWhenTheIdentityCanBeFree() {
        RuntimeException busy = new IdentityBusyException(delivery.identity(), clock.instant().plusSeconds(90));

        assertThat(resume(2, busy)).isEqualTo(Disposition.notAttempted(Duration.ofSeconds(90)));
        assertThat(resume(3, new IdentityBusyException(delivery.identity())))
                .isEqualTo(Disposition.notAttempted(Duration.ZERO));
        assertThat(ledger.countAttempt(delivery.deliveryId(), "4")).as("the first real attempt").isEqualTo(1);
    }
}
