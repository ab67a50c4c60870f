package dev.contactfunctions.deferral;

import java.io.IOException;

import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * Runs ElasticMQ (an SQS-compatible server) in a process of its own, so that its actor system never shares a JVM
 * with the Quarkus application under test. Prints {@code elasticmq listening on <port>} once it serves.
 * <p>
 * Arguments: the port ({@code 0} for a free one) and, optionally, {@code --until-stdin-closes}: the server then stops
 * when its parent closes (or loses) the pipe, so a test JVM that dies never leaves it behind. Without it the server
 * runs until it is killed (to keep one running for several test runs, named to them by {@code ELASTICMQ_ENDPOINT}).
 */
public final class ElasticMqServer {

    public static final String LISTENING = "elasticmq listening on ";

    private ElasticMqServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        boolean untilStdinCloses = args.length > 1 && "--until-stdin-closes".equals(args[1]);
        SQSRestServer server = (port == 0
                ? SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                : SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)).start();
        int bound = server.waitUntilStarted().localAddress().getPort();
        System.out.println(LISTENING + bound);
        System.out.flush();
        if (untilStdinCloses) {
            while (System.in.read() >= 0) {
                // nothing to read: the pipe only tells that the parent is alive
            }
            server.stopAndWait();
            System.exit(0);
        }
        Thread.currentThread().join();
    }
}
