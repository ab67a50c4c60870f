package dev.contactfunctions.deferral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

class SqsBatchesTest {

    final List<String> handled = new ArrayList<>();

    static SQSEvent.SQSMessage message(String id, String group) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(id);
        message.setBody("body-" + id);
        Map<String, String> attributes = new HashMap<>();
        if (group != null) {
            attributes.put("MessageGroupId", group);
        }
        message.setAttributes(attributes);
        return message;
    }

    static SQSEvent event(SQSEvent.SQSMessage... messages) {
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(messages));
        return event;
    }

    static List<String> failedIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }

    SqsBatches.MessageHandler failing(Set<String> ids) {
        return message -> {
            handled.add(message.getMessageId());
            return ids.contains(message.getMessageId()) ? Disposition.RETRY : Disposition.DONE;
        };
    }

    @Test
    void aBatchThatSucceedsReportsNoFailure() {
        SQSBatchResponse response = SqsBatches.process(event(message("m1", "a"), message("m2", "b")), failing(Set.of()));

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(handled).containsExactly("m1", "m2");
    }

    @Test
    void onlyTheFailedMessagesOfAStandardQueueAreReported() {
        SQSBatchResponse response = SqsBatches.process(
                event(message("m1", null), message("m2", null), message("m3", null)), failing(Set.of("m2")));

        assertThat(failedIds(response)).containsExactly("m2");
        assertThat(handled).containsExactly("m1", "m2", "m3");
    }

    @Test
    void afterAFailureInAFifoGroupTheRestOfThatGroupIsNotProcessedButReportedFailed() {
        SQSBatchResponse response = SqsBatches.process(event(message("a1", "a"), message("b1", "b"),
                message("a2", "a"), message("b2", "b"), message("a3", "a")), failing(Set.of("a2")));

        assertThat(failedIds(response)).containsExactly("a2", "a3");
        assertThat(handled).containsExactly("a1", "b1", "a2", "b2");
    }

    @Test
    void anExceptionCountsAsAFailureOfThatMessageOnly() {
        SQSBatchResponse response = SqsBatches.process(event(message("m1", "a"), message("m2", "b")), message -> {
            if (message.getMessageId().equals("m1")) {
                throw new IllegalStateException("Intercom is down");
            }
            return Disposition.DONE;
        });

        assertThat(failedIds(response)).containsExactly("m1");
    }

    @Test
    void anEmptyOrMissingBatchReportsNothing() {
        assertThat(SqsBatches.process(new SQSEvent(), failing(Set.of())).getBatchItemFailures()).isEmpty();
        assertThat(SqsBatches.process(null, failing(Set.of())).getBatchItemFailures()).isEmpty();
    }
}
