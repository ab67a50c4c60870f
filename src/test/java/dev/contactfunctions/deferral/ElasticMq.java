package dev.contactfunctions.deferral;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-compatible server for tests: ElasticMQ (from Maven Central), with SQS's visibility timeouts,
 * {@code ApproximateReceiveCount}, redrive to a dead-letter queue, FIFO message groups and deduplication. Uses
 * {@code ELASTICMQ_ENDPOINT} when it names a running one; otherwise starts {@link ElasticMqServer} as a separate
 * java process with the test classpath (its actor system stays out of the Quarkus test JVM), once per test JVM.
 * Tests keep apart by creating queues with fresh names.
 */
public final class ElasticMq {

    public static final String ENDPOINT_VARIABLE = "ELASTICMQ_ENDPOINT";

    /** The address of the server this JVM started. */
    private static final String STARTED_PROPERTY = "dev.contactfunctions.elasticmq.started";

    private static ElasticMq shared;

    private final URI endpoint;

    private ElasticMq(URI endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * The server CI started, or one started now for this test JVM and stopped when the JVM exits. Each Quarkus
     * application of a test run loads this class anew, so the address of the one started is kept in a system property
     * ({@value #STARTED_PROPERTY}), which every class loader of the JVM sees: one server per JVM, not per application.
     */
    public static ElasticMq shared() {
        synchronized (System.getProperties()) {
            if (shared == null) {
                String given = System.getenv(ENDPOINT_VARIABLE);
                String started = System.getProperty(STARTED_PROPERTY);
                if (given != null && !given.isBlank()) {
                    shared = new ElasticMq(URI.create(given.trim()));
                } else if (started != null) {
                    shared = new ElasticMq(URI.create(started));
                } else {
                    shared = new ElasticMq(start());
                    System.setProperty(STARTED_PROPERTY, shared.endpoint.toString());
                }
            }
            return shared;
        }
    }

    private static URI start() {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                ElasticMqServer.class.getName(), "0", "--until-stdin-closes"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder log = new StringBuilder();
            String port = CompletableFuture.supplyAsync(() -> readUntilListening(out, log)).get(60, TimeUnit.SECONDS);
            if (port == null) {
                process.destroy();
                throw new IllegalStateException("ElasticMQ did not start:\n" + log);
            }
            Thread drain = new Thread(() -> readUntilListening(out, new StringBuilder()), "elasticmq-output");
            drain.setDaemon(true);
            drain.start();
            return URI.create("http://127.0.0.1:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("ElasticMQ could not be started as " + command.get(0), e);
        }
    }

    /** Reads the server's output up to its listening line and returns the port; null when the output ends first. */
    private static String readUntilListening(BufferedReader out, StringBuilder log) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(ElasticMqServer.LISTENING)) {
                    return line.substring(ElasticMqServer.LISTENING.length()).trim();
                }
                log.append(line).append('\n');
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server (placeholder region and credentials, which ElasticMQ ignores). */
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
        return createFifoQueue(name, deadLetterQueueUrl, maxReceiveCount, 30);
    }

    public String createFifoQueue(String name) {
        return createFifoQueue(name, null, 0);
    }

    private String createFifoQueue(String name, String deadLetterQueueUrl, int maxReceiveCount,
            int visibilityTimeoutSeconds) {
        try (SqsClient sqs = client()) {
            Map<QueueAttributeName, String> attributes = new HashMap<>();
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds));
            if (deadLetterQueueUrl != null) {
                String arn = sqs.getQueueAttributes(r -> r.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
                attributes.put(QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}");
            }
            return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
        }
    }

    /** A FIFO queue and its FIFO dead-letter queue, as the template pairs them. */
    public record QueuePair(String queueUrl, String deadLetterQueueUrl) {
    }

    /**
     * A fresh FIFO queue that redrives to a fresh FIFO dead-letter queue after {@code maxReceiveCount} receives, with
     * the given visibility timeout (what a received, unanswered message waits before it comes back).
     */
    public QueuePair createFifoQueueWithDeadLetters(String prefix, int maxReceiveCount, int visibilityTimeoutSeconds) {
        String id = UUID.randomUUID().toString();
        String dlq = createFifoQueue(prefix + "-dlq-" + id + ".fifo");
        String queue = createFifoQueue(prefix + "-" + id + ".fifo", dlq, maxReceiveCount, visibilityTimeoutSeconds);
        return new QueuePair(queue, dlq);
    }

    /** Takes every message now visible on a queue (a dead-letter queue, typically) and deletes it. */
    public List<Message> drain(String queueUrl) {
        List<Message> all = new ArrayList<>();
        try (SqsClient sqs = client()) {
            while (true) {
                List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                        .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (messages.isEmpty()) {
                    return all;
                }
                all.addAll(messages);
                messages.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
            }
        }
    }
}
