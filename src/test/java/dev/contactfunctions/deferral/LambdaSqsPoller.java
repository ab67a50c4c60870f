package dev.contactfunctions.deferral;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, for tests: receive a batch, hand it to the function as an
 * {@link SQSEvent}, delete what the function did not report failed. Failed messages are made visible again at once,
 * standing in for their visibility timeout running out.
 */
public final class LambdaSqsPoller {

    private final SqsClient sqs;
    private final String queueUrl;

    public LambdaSqsPoller(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** One batch: how many messages were received and how many the function reported failed. */
    public record Poll(int received, int failed) {
    }

    public Poll pollOnce(Function<SQSEvent, SQSBatchResponse> function) {
        List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        if (messages.isEmpty()) {
            return new Poll(0, 0);
        }
        SQSBatchResponse response = function.apply(event(messages));
        Set<String> failed = new HashSet<>();
        response.getBatchItemFailures().forEach(f -> failed.add(f.getItemIdentifier()));
        for (Message message : messages) {
            if (failed.contains(message.messageId())) {
                sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                        .visibilityTimeout(0));
            } else {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return new Poll(messages.size(), failed.size());
    }

    /** The event Lambda hands the function for received messages, with their system attributes. */
    public static SQSEvent event(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setMd5OfBody(message.md5OfBody());
            record.setAttributes(new java.util.HashMap<>(message.attributesAsStrings()));
            record.setEventSource("aws:sqs");
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Polls until a poll receives nothing, at most {@code maxPolls} times; returns the number of polls that received. */
    public int pollUntilEmpty(Function<SQSEvent, SQSBatchResponse> function, int maxPolls) {
        for (int i = 0; i < maxPolls; i++) {
            if (pollOnce(function).received() == 0) {
                return i;
            }
        }
        throw new IllegalStateException("the queue was still not empty after " + maxPolls + " polls");
    }
}
