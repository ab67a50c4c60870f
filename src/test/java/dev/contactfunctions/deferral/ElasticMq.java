package dev.contactfunctions.deferral;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-compatible server (ElasticMQ, from Maven Central) inside the test JVM, on a free local port. One server
 * serves every test class ({@link #shared()}); tests keep apart by creating queues with fresh names.
 */
public final class ElasticMq {

    private static ElasticMq shared;

    private final URI endpoint;

    private ElasticMq(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The server of this test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized ElasticMq shared() {
        if (shared == null) {
            SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int port = server.waitUntilStarted().localAddress().getPort();
            shared = new ElasticMq(URI.create("http://127.0.0.1:" + port));
            Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait));
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    public SqsClient client() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** A FIFO queue like the template's (no content-based deduplication), optionally redriving to a dead-letter queue. */
    public String createFifoQueue(String name, String deadLetterQueueUrl, int maxReceiveCount) {
        try (SqsClient sqs = client()) {
            Map<QueueAttributeName, String> attributes = new HashMap<>();
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
            if (deadLetterQueueUrl != null) {
                String arn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
                attributes.put(QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
            }
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        }
    }

    public String createFifoQueue(String name) {
        return createFifoQueue(name, null, 0);
    }
}
