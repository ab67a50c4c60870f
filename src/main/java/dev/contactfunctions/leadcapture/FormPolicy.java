package dev.contactfunctions.leadcapture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.webhook.WebhookException;

/**
 * What a form may change: a form is public (anyone can type anyone's email into it; the signature proves only that
 * the relay sent it), so this is the one place that decides what a delivery may write.
 * <ul>
 * <li>{@link #admit}: a delivery may name only the attributes of {@code lead-capture.allowed-attributes} and the tags
 * of {@code lead-capture.allowed-tags}; anything else is refused (422) before anything is written, queued or created
 * in the workspace, whichever way the delivery comes in (webhook or deferral queue).</li>
 * <li>{@link #update}: on a lead, the form's values win (latest name, phone and attributes), except the first-touch
 * copies, which are only filled in. On a user (a customer), a form only fills what is empty: name, phone and custom
 * attributes already set are the product's; the seven last-touch attribution fields are the form's to overwrite.
 * Nothing is ever removed: empty values are never sent.</li>
 * </ul>
 */
@ApplicationScoped
public class FormPolicy {

    private final Set<String> allowedAttributes;
    private final Set<String> allowedTags;

    FormPolicy(LeadCaptureConfig config) {
        this.allowedAttributes = Set.copyOf(config.allowedAttributes());
        this.allowedTags = config.allowedTags().orElse(Set.of()).stream().map(FormPolicy::tagKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Refuses a delivery that names an attribute or a tag a form may not write (422 {@code attribute_not_allowed},
     * {@code tag_not_allowed}, the message naming every one, the field the first); answers the lead otherwise.
     */
    public LeadSubmission admit(LeadSubmission lead) {
        List<String> attributes = LeadCaptureService.attributeValues(lead).keySet().stream()
                .filter(name -> !allowedAttributes.contains(name)).toList();
        if (!attributes.isEmpty()) {
            throw new WebhookException(422, "attribute_not_allowed", "A form may not write these attributes"
                    + " (lead-capture.allowed-attributes): " + String.join(", ", attributes),
                    CustomAttributeCatalog.field(attributes.get(0)));
        }
        List<String> tags = lead.tags().stream().filter(tag -> !allowedTags.contains(tagKey(tag))).toList();
        if (!tags.isEmpty()) {
            throw new WebhookException(422, "tag_not_allowed", "A form may not attach these tags"
                    + " (lead-capture.allowed-tags): " + String.join(", ", tags), "tags");
        }
        return lead;
    }

    /**
     * The partial update a delivery makes to an existing contact ({@code wanted}: its attribute values, admitted and
     * converted to the workspace's types): only what differs and the form may change; empty when nothing.
     */
    Optional<ContactRequest> update(Contact contact, LeadSubmission lead, Map<String, Object> wanted) {
        boolean formsValuesWin = contact.isLead();
        Map<String, Object> current = contact.customAttributesOrEmpty();
        Map<String, Object> changes = new LinkedHashMap<>();
        wanted.forEach((name, value) -> {
            Object now = current.get(name);
            boolean overwrite = isLastTouch(name) || formsValuesWin && !isFirstTouch(name);
            if (!Contact.sameAttributeValue(now, value) && (overwrite || isEmpty(now))) {
                changes.put(name, value);
            }
        });
        String name = changed(contact.name(), lead.name(), formsValuesWin);
        String phone = changed(contact.phone(), lead.phone(), formsValuesWin);
        if (changes.isEmpty() && name == null && phone == null) {
            return Optional.empty();
        }
        return Optional.of(ContactRequest.builder().name(name).phone(phone).customAttributes(changes).build());
    }

    private static boolean isFirstTouch(String name) {
        return name.startsWith(LeadSubmission.FIRST_TOUCH_PREFIX) && LeadSubmission.isAttributionAttribute(name);
    }

    private static boolean isLastTouch(String name) {
        return LeadSubmission.ATTRIBUTION_FIELDS.contains(name);
    }

    private static String changed(String current, String wanted, boolean overwrite) {
        if (wanted == null || wanted.equals(current)) {
            return null;
        }
        return overwrite || isEmpty(current) ? wanted : null;
    }

    private static boolean isEmpty(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    private static String tagKey(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
