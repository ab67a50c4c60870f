package dev.contactfunctions.identity;

import static org.assertj.core.api.Assertions.assertThat;

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
}
