package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.contactfunctions.intercom.model.Contact;

class IntercomNotificationTest {

    @Test
    void theCommittedNotificationReadsAsAUserCreatedWithItsContact() {
        IntercomNotification notification = IntercomNotification.from(LambdaEvents.body(LambdaEvents.NOTIFICATION));

        assertThat(notification.id()).isEqualTo("notif_5b0c5ad2-7a1f-4c3e-9d51-2f6b8e0c4a17");
        assertThat(notification.topic()).isEqualTo(IntercomNotification.TOPIC_USER_CREATED);
        assertThat(notification.appId()).isEqualTo("ecahpwf5");
        assertThat(notification.deliveryAttempts()).isEqualTo(1);
        Contact contact = notification.contact();
        assertThat(contact.id()).isEqualTo("6630d3c1a8b2f5001f2e4c71");
        assertThat(contact.isUser()).isTrue();
        assertThat(contact.email()).isEqualTo("ada@example.com");
        assertThat(contact.customAttributes()).containsEntry("plan", "enterprise");
    }

    @Test
    void aContactWithAnOddlyShapedFieldStillGivesItsIdentity() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION);
        ((ObjectNode) body.at("/data/item")).put("custom_attributes", "not an object");

        Contact contact = IntercomNotification.from(body).contact();

        assertThat(contact.id()).isEqualTo("6630d3c1a8b2f5001f2e4c71");
        assertThat(contact.role()).isEqualTo("user");
        assertThat(contact.customAttributes()).isNull();
    }

    @Test
    void aPingHasNoContact() {
        ObjectNode body = LambdaEvents.body(LambdaEvents.NOTIFICATION).put("topic", "ping");
        body.putObject("data").putObject("item").put("type", "ping").put("message", "hello");

        IntercomNotification notification = IntercomNotification.from(body);

        assertThat(notification.itemType()).isEqualTo("ping");
        assertThat(notification.contactOptional()).isEmpty();
    }

    @Test
    void theReplayWindowRunsFromMaxAgeAgoToTheAllowedSkewAheadOnWholeSeconds() {
        Instant now = Instant.ofEpochSecond(1_773_147_601L, 900_000_000);
        Duration maxAge = Duration.ofHours(3);

        assertThat(createdAt(now.getEpochSecond() - maxAge.getSeconds()).outsideWindow(now, maxAge)).isEmpty();
        assertThat(createdAt(now.getEpochSecond() - maxAge.getSeconds() - 1).outsideWindow(now, maxAge))
                .contains("stale_notification");
        assertThat(createdAt(now.getEpochSecond() + 300).outsideWindow(now, maxAge)).isEmpty();
        assertThat(createdAt(now.getEpochSecond() + 301).outsideWindow(now, maxAge)).contains("future_notification");
        // no value can overflow a date: whatever a signed body says, the answer is a reason, never an exception
        assertThat(createdAt(Long.MIN_VALUE).outsideWindow(now, maxAge)).contains("stale_notification");
        assertThat(createdAt(Long.MAX_VALUE).outsideWindow(now, maxAge)).contains("future_notification");
        assertThat(createdAt(now.toEpochMilli()).outsideWindow(now, maxAge)).contains("future_notification");
    }

    private static IntercomNotification createdAt(long seconds) {
        return IntercomNotification.from(LambdaEvents.body(LambdaEvents.NOTIFICATION).put("created_at", seconds));
    }
}
