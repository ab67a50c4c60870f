package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;


import dev.contactfunctions.invocation.InvocationDeadline;
import dev.contactfunctions.sandbox.MutableClock;
import dev.contactfunctions.testsupport.TestLambdaContext;

class CallBudgetTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    private final CallBudget budget = new CallBudget(clock, TestConfigs.intercom(Map.of(
            "intercom.budget.reserve", "1500ms",
            "intercom.budget.outside-invocation", "30s",
            "intercom.budget.answer-reserve", "300ms",
            "intercom.connect-timeout-ms", "2000",
            "intercom.read-timeout-ms", "2500")));

    @Test
    void anInvocationGetsItsRemainingTimeLessTheReserve() {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(10))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(8500));
            clock.advance(Duration.ofSeconds(3));
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(5500));
        }
    }

    @Test
    void aSpentBudgetIsZeroNotNegative() {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(1))) {
            assertThat(budget.remaining()).isZero();
            assertThat(budget.allows(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void allowsOnlyWaitsShorterThanWhatIsLeft() {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofMillis(2500))) {
            assertThat(budget.allows(Duration.ofMillis(999))).isTrue();
            assertThat(budget.allows(Duration.ofMillis(1000))).isFalse();
        }
    }

    @Test
    void callsOutsideAnInvocationGetTheFixedBudget() {
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(30));
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(5))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(3500));
        }
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void closingANestedScopeRestoresTheOuterOne() {
        try (InvocationDeadline.Scope outer = budget.open(Duration.ofSeconds(10))) {
            try (InvocationDeadline.Scope inner = budget.open(Duration.ofSeconds(3))) {
                assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(1500));
            }
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(8500));
        }
    }

    @Test
    void aRealLambdaDeadlineIsTheInvocationsRemainingTime() {
        assertThat(InvocationDeadline.lambdaRemaining(contextWithRemaining(12_000), Duration.ofSeconds(30)))
                .isEqualTo(Duration.ofSeconds(12));
        try (InvocationDeadline.Scope scope = budget.openFor(contextWithRemaining(12_000))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(10_500));
        }
    }

    @Test
    void withoutARealDeadlineTheFallbackApplies() {
        Duration fallback = Duration.ofSeconds(30);
        assertThat(InvocationDeadline.lambdaRemaining(null, fallback)).isEqualTo(fallback);
        assertThat(InvocationDeadline.lambdaRemaining(contextWithRemaining(0), fallback)).isEqualTo(fallback);
        assertThat(InvocationDeadline.lambdaRemaining(contextWithRemaining(-5), fallback)).isEqualTo(fallback);
        assertThat(InvocationDeadline.lambdaRemaining(contextWithRemaining(Integer.MAX_VALUE), fallback)).isEqualTo(fallback);
        try (InvocationDeadline.Scope scope = budget.openFor(contextWithRemaining(-5))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void anAttemptGetsItsFullConnectAndReadTimeWhenThatIsLeft() {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(10))) {
            assertThat(budget.fullAttempt()).isEqualTo(Duration.ofMillis(4500));
            assertThat(budget.attemptLimit()).isEqualTo(Duration.ofMillis(4500));
            assertThat(budget.coversFullAttempt()).isTrue();
        }
    }

    @Test
    void anAttemptStartedNearTheEndGetsOnlyWhatIsLeftBeforeTheReserve() {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(10))) {
            clock.advance(Duration.ofMillis(8499));
            assertThat(budget.attemptLimit()).isEqualTo(Duration.ofMillis(1));
            assertThat(budget.coversFullAttempt()).isFalse();
        }
    }

    @Test
    void awsCallsKeepOnlyTheReserveToAnswerAndAreUnboundedOutsideAnInvocation() {
        assertThat(InvocationDeadline.awsCallLimit()).isEmpty();
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(10))) {
            assertThat(InvocationDeadline.awsCallLimit()).contains(Duration.ofMillis(9700));
            clock.advance(Duration.ofMillis(9000));
            // past the Intercom budget, an AWS call (queueing the delivery) still has its time
            assertThat(budget.remaining()).isZero();
            assertThat(InvocationDeadline.awsCallLimit()).contains(Duration.ofMillis(700));
            clock.advance(Duration.ofSeconds(1));
            assertThat(InvocationDeadline.awsCallLimit()).contains(Duration.ZERO);
        }
        assertThat(InvocationDeadline.awsCallLimit()).isEmpty();
    }

    @Test
    void workCarriedOverToAnotherThreadKeepsTheInvocationsBudget() throws Exception {
        try (InvocationDeadline.Scope scope = budget.open(Duration.ofSeconds(10))) {
            java.util.function.Supplier<java.util.Optional<Duration>> carried =
                    InvocationDeadline.carriedOver(InvocationDeadline::awsCallLimit);
            assertThat(java.util.concurrent.CompletableFuture.supplyAsync(carried).get())
                    .contains(Duration.ofMillis(9700));
        }
    }

    private static TestLambdaContext contextWithRemaining(int millis) {
        return new TestLambdaContext("test", Duration.ofMillis(millis));
    }
}
