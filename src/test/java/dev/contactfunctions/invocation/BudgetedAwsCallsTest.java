package dev.contactfunctions.invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS calls made inside an invocation end with it: against a server that accepts and never answers, a call fails
 * when the invocation's time (less the reserve to answer) is spent, not after the client's 5 s socket timeout.
 */
class BudgetedAwsCallsTest {

    private ServerSocket silent;
    private final List<Socket> accepted = new ArrayList<>();
    private DynamoDbClient dynamo;
    private static final Duration ANSWER_RESERVE = Duration.ofMillis(300);

    @BeforeEach
    void silentServer() throws IOException {
        silent = new ServerSocket(0);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept()); // never answers
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        dynamo = AwsClients.build(DynamoDbClient.builder(),
                Optional.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())));
    }

    @AfterEach
    void close() throws IOException {
        dynamo.close();
        silent.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void aCallEndsWhenTheInvocationsTimeLessTheAnswerReserveIsSpent() {
        long started = System.nanoTime();
        try (InvocationDeadline.Scope scope = open(Duration.ofMillis(1000))) {
            assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("ledger").key(Map.of())))
                    .isInstanceOf(SdkClientException.class);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(600)).isLessThan(Duration.ofMillis(2000));
    }

    @Test
    void withNoTimeLeftTheCallFailsAtOnceWithoutReachingTheServer() {
        try (InvocationDeadline.Scope scope = open(Duration.ofMillis(200))) {
            assertThatThrownBy(() -> dynamo.getItem(r -> r.tableName("ledger").key(Map.of())))
                    .isInstanceOf(SdkClientException.class)
                    .hasMessageContaining("No time left");
        }
        assertThat(accepted).isEmpty();
    }

    private static InvocationDeadline.Scope open(Duration lambdaRemaining) {
        Clock clock = Clock.systemUTC();
        return InvocationDeadline.open(clock.instant().plus(lambdaRemaining), clock, ANSWER_RESERVE);
    }
}
