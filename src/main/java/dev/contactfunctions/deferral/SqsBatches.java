package dev.contactfunctions.deferral;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

/**
 * Processes an SQS batch message by message and answers with a partial batch response
 * ({@code ReportBatchItemFailures}): only the failed messages come back. For FIFO queues the order of a message group
 * is kept: after the first failure in a group the rest of that group is not processed and is reported failed too;
 * other groups go on.
 */
public final class SqsBatches {

    private static final Logger LOG = Logger.getLogger(SqsBatches.class);
    static final String MESSAGE_GROUP_ID = "MessageGroupId";

    private SqsBatches() {
    }

    /** Handles one message; an exception counts as {@link Disposition#RETRY}. */
    @FunctionalInterface
    public interface MessageHandler {
        Disposition handle(SQSEvent.SQSMessage message) throws Exception;
    }

    public static SQSBatchResponse process(SQSEvent event, MessageHandler handler) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Set<String> stoppedGroups = new HashSet<>();
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSEvent.SQSMessage message : records) {
            String group = groupOf(message);
            if (group != null && stoppedGroups.contains(group)) {
                failures.add(failure(message));
                continue;
            }
            if (!handleSafely(handler, message).isDone()) {
                failures.add(failure(message));
                if (group != null) {
                    stoppedGroups.add(group);
                }
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static Disposition handleSafely(MessageHandler handler, SQSEvent.SQSMessage message) {
        try {
            Disposition disposition = handler.handle(message);
            return disposition == null ? Disposition.RETRY : disposition;
        } catch (Exception e) {
            // the exception's message may quote the payload: its type is enough to find it in the logs
            LOG.warnf("message %s failed (%s); it stays on the queue", message.getMessageId(),
                    e.getClass().getSimpleName());
            return Disposition.RETRY;
        }
    }

    private static String groupOf(SQSEvent.SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        return attributes == null ? null : attributes.get(MESSAGE_GROUP_ID);
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage message) {
        return SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build();
    }
}
