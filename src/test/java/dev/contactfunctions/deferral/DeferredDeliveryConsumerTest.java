package dev.contactfunctions.deferral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

class DeferredDeliveryConsumerTest {

    static final class Recording implements DeferredDeliveryProcessor {
        final String route;
        final Disposition answer;
        final List<DeferredDelivery> seen = new ArrayList<>();

        Recording(String route, Disposition answer) {
            this.route = route;
            this.answer = answer;
        }

        @Override
        public String route() {
            return route;
        }

        @Override
        public Disposition process(DeferredDelivery delivery) {
            seen.add(delivery);
            return answer;
        }
    }

    static SQSEvent.SQSMessage message(String id, String body, int receiveCount) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody(body);
        message.setAttributes(Map.of("MessageGroupId", "group-" + id,
                "ApproximateReceiveCount", Integer.toString(receiveCount)));
        return message;
    }

    @Test
    void eachDeliveryGoesToTheProcessorOfItsRouteWithItsAttemptNumber() {
        Recording leads = new Recording("lead-capture", Disposition.DONE);
        Recording identify = new Recording("identify-merge", Disposition.DONE);
        DeferredDeliveryConsumer consumer = new DeferredDeliveryConsumer(List.of(leads, identify));
        DeferredDelivery lead = DeferredDeliveryTest.sample();

        SQSBatchResponse response = consumer.consume(SqsBatchesTest.event(message("m1", lead.toJson(), 3)));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(leads.seen).containsExactly(lead.withAttempt(4));
        assertThat(identify.seen).isEmpty();
    }

    @Test
    void aDeliveryItsProcessorCannotFinishYetIsReportedFailed() {
        DeferredDeliveryConsumer consumer = new DeferredDeliveryConsumer(
                List.of(new Recording("lead-capture", Disposition.RETRY)));

        SQSBatchResponse response = consumer.consume(
                SqsBatchesTest.event(message("m1", DeferredDeliveryTest.sample().toJson(), 1)));

        assertThat(SqsBatchesTest.failedIds(response)).containsExactly("m1");
    }

    @Test
    void unreadableBodiesAndUnknownRoutesStayOnTheQueueInsteadOfBeingDropped() {
        Recording leads = new Recording("lead-capture", Disposition.DONE);
        DeferredDeliveryConsumer consumer = new DeferredDeliveryConsumer(List.of(leads));
        String unknownRoute = DeferredDeliveryTest.sample().toJson().replace("lead-capture", "nowhere");

        SQSBatchResponse response = consumer.consume(SqsBatchesTest.event(message("m1", "not json", 1),
                message("m2", unknownRoute, 1), message("m3", DeferredDeliveryTest.sample().toJson(), 1)));

        assertThat(SqsBatchesTest.failedIds(response)).containsExactly("m1", "m2");
        assertThat(leads.seen).hasSize(1);
    }

    @Test
    void twoProcessorsForOneRouteAreAConfigurationError() {
        assertThatThrownBy(() -> new DeferredDeliveryConsumer(List.of(new Recording("lead-capture", Disposition.DONE),
                new Recording("lead-capture", Disposition.DONE))))
                .hasMessage("two processors for route lead-capture");
    }
}
