package dev.contactfunctions.intercom;

import dev.contactfunctions.sandbox.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class CallBudgetTest {

    private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    private final CallBudget budget = new CallBudget(clock, TestConfigs.intercom(Map.of(
            "intercom.budget.reserve", "1500ms",
            "intercom.budget.outside-invocation", "30s")));

    @Test
    void anInvocationGetsItsRemainingTimeLessTheReserve() {
        try (CallBudget.Scope scope = budget.open(Duration.ofSeconds(10))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(8500));
            clock.advance(Duration.ofSeconds(3));
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(5500));
        }
    }

    @Test
    void aSpentBudgetIsZeroNotNegative() {
        try (CallBudget.Scope scope = budget.open(Duration.ofSeconds(1))) {
            assertThat(budget.remaining()).isZero();
            assertThat(budget.allows(Duration.ZERO)).isFalse();
        }
    }

    @Test
    void allowsOnlyWaitsShorterThanWhatIsLeft() {
        try (CallBudget.Scope scope = budget.open(Duration.ofMillis(2500))) {
            assertThat(budget.allows(Duration.ofMillis(999))).isTrue();
            assertThat(budget.allows(Duration.ofMillis(1000))).isFalse();
        }
    }

    @Test
    void callsOutsideAnInvocationGetTheFixedBudget() {
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(30));
        try (CallBudget.Scope scope = budget.open(Duration.ofSeconds(5))) {
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(3500));
        }
        assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void closingANestedScopeRestoresTheOuterOne() {
        try (CallBudget.Scope outer = budget.open(Duration.ofSeconds(10))) {
            try (CallBudget.Scope inner = budget.open(Duration.ofSeconds(3))) {
                assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(1500));
            }
            assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(8500));
        }
    }
}
