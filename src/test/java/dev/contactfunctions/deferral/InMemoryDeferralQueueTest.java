package dev.contactfunctions.deferral;

import static dev.contactfunctions.deferral.DeferralFixtures.leadDelivery;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class InMemoryDeferralQueueTest {

    final InMemoryDeferralQueue queue = new InMemoryDeferralQueue();
    final List<String> processed = new ArrayList<>();
    final Set<String> unavailableFor = new HashSet<>();

    final DeferredDeliveryConsumer consumer = DeferralFixtures.leadConsumer(delivery -> {
        processed.add(delivery.deliveryId() + "#" + delivery.attempt());
        return unavailableFor.contains(delivery.identity()) ? Disposition.RETRY : Disposition.DONE;
    });

    @Test
    void drainingDeliversEveryWaitingDeliveryOnceInOrder() {
        queue.enqueue(leadDelivery("ada@example.com", "d1"));
        queue.enqueue(leadDelivery("bob@example.com", "d2"));
        queue.enqueue(leadDelivery("ada@example.com", "d3"));

        InMemoryDeferralQueue.DrainResult result = queue.drain(consumer);

        assertThat(result).isEqualTo(new InMemoryDeferralQueue.DrainResult(3, 0, 0));
        assertThat(processed).containsExactly("d1#2", "d2#2", "d3#2");
        assertThat(queue.waiting()).isEmpty();
        assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(0, 0, 0));
    }

    @Test
    void theSameDeliveryQueuedTwiceWaitsOnce() {
        queue.enqueue(leadDelivery("ada@example.com", "d1"));
        queue.enqueue(leadDelivery("ada@example.com", "d1"));

        assertThat(queue.waiting()).hasSize(1);
    }

    @Test
    void aFailedDeliveryAndTheRestOfItsPersonWaitForTheNextDrainWhileOthersGoOn() {
        queue.enqueue(leadDelivery("ada@example.com", "d1"));
        queue.enqueue(leadDelivery("bob@example.com", "d2"));
        queue.enqueue(leadDelivery("ada@example.com", "d3"));
        unavailableFor.add("email:ada@example.com");

        assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(1, 2, 0));
        assertThat(processed).containsExactly("d1#2", "d2#2");
        assertThat(queue.waiting()).extracting(DeferredDelivery::deliveryId).containsExactly("d1", "d3");

        unavailableFor.clear();
        assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(2, 0, 0));
        assertThat(processed).containsExactly("d1#2", "d2#2", "d1#3", "d3#3");
    }

    @Test
    void aDeliveryThatKeepsFailingIsDeadLetteredAfterTheReceiveLimitNotDropped() {
        queue.enqueue(leadDelivery("ada@example.com", "d1"));
        unavailableFor.add("email:ada@example.com");

        for (int i = 1; i < InMemoryDeferralQueue.MAX_RECEIVES; i++) {
            assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(0, 1, 0));
        }
        assertThat(queue.drain(consumer)).isEqualTo(new InMemoryDeferralQueue.DrainResult(0, 0, 1));

        assertThat(queue.waiting()).isEmpty();
        assertThat(queue.deadLetters()).extracting(DeferredDelivery::deliveryId).containsExactly("d1");
    }
}
