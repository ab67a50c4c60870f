package dev.contactfunctions.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.identifiers.Emails;

/** The per-contact checks of the audit: pure functions of one contact. */
final class ContactChecks {

    static final String CUSTOM_PREFIX = "custom_attributes.";

    private ContactChecks() {
    }

    /**
     * The required attributes this contact lacks (absent, null or blank). {@code email}, {@code name},
     * {@code phone} and {@code external_id} are the standard fields; {@code custom_attributes.x} or any other name
     * is a custom attribute.
     */
    static List<String> missingAttributes(Contact contact, List<String> required) {
        List<String> missing = new ArrayList<>();
        for (String attribute : required) {
            if (isBlank(value(contact, attribute))) {
                missing.add(attribute);
            }
        }
        return missing;
    }

    private static Object value(Contact contact, String attribute) {
        if (attribute.startsWith(CUSTOM_PREFIX)) {
            return contact.customAttributesOrEmpty().get(attribute.substring(CUSTOM_PREFIX.length()));
        }
        return switch (attribute) {
            case "email" -> contact.email();
            case "name" -> contact.name();
            case "phone" -> contact.phone();
            case "external_id" -> contact.externalId();
            default -> contact.customAttributesOrEmpty().get(attribute);
        };
    }

    private static boolean isBlank(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }

    /** Why this email is invalid; empty when it is valid or absent (a lead without email is not a problem). */
    static Optional<String> emailProblem(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        String normalized = Emails.normalize(email);
        if (Emails.isValid(normalized)) {
            return Optional.empty();
        }
        if (normalized.length() > Emails.MAX_LENGTH) {
            return Optional.of("longer than " + Emails.MAX_LENGTH + " characters");
        }
        if (normalized.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("contains whitespace");
        }
        int at = normalized.indexOf('@');
        if (at < 0) {
            return Optional.of("no @");
        }
        if (normalized.indexOf('@', at + 1) >= 0) {
            return Optional.of("more than one @");
        }
        if (at == 0) {
            return Optional.of("nothing before the @");
        }
        String domain = normalized.substring(at + 1);
        int dot = domain.indexOf('.');
        if (dot <= 0 || dot == domain.length() - 1) {
            return Optional.of("domain without a dot-separated name");
        }
        if (normalized.chars().anyMatch(c -> "<>()[],;:\\\"".indexOf(c) >= 0 || Character.isISOControl(c))) {
            return Optional.of("a character mail servers refuse unquoted (< > ( ) [ ] , ; : \\ \" or a control)");
        }
        return Optional.of("not an email address");
    }

    /** A lead whose last activity (last seen, else created) is before the cutoff; unknown activity is not counted. */
    static boolean isInactiveLead(Contact contact, Instant cutoff) {
        return contact.isLead() && lastActivity(contact).filter(at -> at.isBefore(cutoff)).isPresent();
    }

    /** The contact's last activity: last seen, else created; empty when Intercom gave neither. */
    static Optional<Instant> lastActivity(Contact contact) {
        Long at = contact.lastSeenAt() != null ? contact.lastSeenAt() : contact.createdAt();
        return Optional.ofNullable(at).map(Instant::ofEpochSecond);
    }

    /** Whether the contact carries the tag: YES, NO, or UNKNOWN when Intercom embedded only part of its tags. */
    static TagPresence tagPresence(Contact contact, String tagId) {
        if (contact.tagRefs().stream().anyMatch(t -> tagId.equals(t.id()))) {
            return TagPresence.YES;
        }
        Contact.TagRefs refs = contact.tags();
        boolean partial = refs != null && (Boolean.TRUE.equals(refs.hasMore())
                || refs.totalCount() != null && refs.data() != null && refs.totalCount() > refs.data().size());
        return partial ? TagPresence.UNKNOWN : TagPresence.NO;
    }

    enum TagPresence {
        YES, NO, UNKNOWN
    }
}
