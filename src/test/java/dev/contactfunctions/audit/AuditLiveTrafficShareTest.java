package dev.contactfunctions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.ClientState;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxOptions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The production audit workspace, through the shared client, against the sandbox: its calls leave the default share
 * of the window (20%) to live traffic, while the client's other calls (the webhooks') spend it down to the reserve.
 * The sandbox's window is held still (its clock stopped an hour ahead), so a wait for its reset is past the call
 * budget and fails at once instead of being waited for.
 */
@QuarkusTest
@TestProfile(SegmentAuditProfile.class)
@WithTestResource(AuditSandbox.class)
class AuditLiveTrafficShareTest {

    static final int LIMIT = 100;

    @InjectAuditSandbox
    AuditSandbox sandboxes;

    @Inject
    AuditWorkspace workspace;

    @Inject
    IntercomClient intercom;

    IntercomSandbox sandbox;

    @BeforeEach
    void stillWindow() {
        Clock stopped = Clock.fixed(Instant.now().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        sandbox = sandboxes.fresh(SandboxOptions.builder().clock(stopped).rateLimit(LIMIT));
        CircuitBreakerMaintenance.get().resetAll();
        ClientState.forgetRateLimitWindow();
    }

    @AfterEach
    void forgetTheWindow() {
        ClientState.forgetRateLimitWindow();
        sandboxes.fresh();
    }

    @Test
    void theAuditsCallsLeaveAFifthOfTheWindowToLiveCalls() {
        for (int i = 0; i < LIMIT - 21; i++) {
            intercom.listTags(); // live calls: 21 left
        }
        workspace.tags(); // 20 left: the audit's share is spent

        assertThatThrownBy(() -> workspace.tags()).isInstanceOf(IntercomException.RateLimited.class);
        assertThatThrownBy(() -> workspace.read(ReadSlice.everyone(), null))
                .isInstanceOf(IntercomException.RateLimited.class);
        for (int i = 0; i < 18; i++) {
            intercom.listTags(); // the live calls still have theirs, down to the reserve of 2
        }
        assertThatThrownBy(() -> intercom.listTags()).isInstanceOf(IntercomException.RateLimited.class);
        assertThat(sandbox.stats().totalWithStatus(429)).as("no call ran into the limit").isZero();
    }
}
