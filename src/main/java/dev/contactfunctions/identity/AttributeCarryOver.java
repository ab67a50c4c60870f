package dev.contactfunctions.identity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.contactfunctions.intercom.model.Contact;

/**
 * Which custom attributes to copy from leads to their user before merging (a merge may drop a lead's attributes):
 * every attribute some lead has and the user lacks. For first-touch attributes ({@code first_*}) the oldest lead
 * with a value wins; for the others the newest lead with a value wins.
 */
final class AttributeCarryOver {

    static final String FIRST_TOUCH_PREFIX = "first_";

    static final Comparator<Contact> OLDEST_FIRST = Comparator.comparing(
            (Contact c) -> c.createdAt() == null ? Long.MAX_VALUE : c.createdAt()).thenComparing(Contact::id);

    private AttributeCarryOver() {
    }

    /**
     * @param keysSetLater attributes the caller writes after the merge anyway (the event's own), not copied
     * @return attribute name -> value to write to the user, by name; empty when nothing is missing
     */
    static Map<String, Object> missingOnUser(Contact user, List<Contact> leads, Set<String> keysSetLater) {
        List<Contact> oldestFirst = new ArrayList<>(leads);
        oldestFirst.sort(OLDEST_FIRST);
        List<Contact> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        Map<String, Object> userAttributes = user.customAttributesOrEmpty();
        Map<String, Object> copy = new TreeMap<>();
        for (Contact lead : oldestFirst) {
            for (String key : lead.customAttributesOrEmpty().keySet()) {
                if (copy.containsKey(key) || keysSetLater.contains(key) || !lacks(userAttributes.get(key))) {
                    continue;
                }
                List<Contact> order = key.startsWith(FIRST_TOUCH_PREFIX) ? oldestFirst : newestFirst;
                for (Contact candidate : order) {
                    Object value = candidate.customAttributesOrEmpty().get(key);
                    if (!lacks(value)) {
                        copy.put(key, value);
                        break;
                    }
                }
            }
        }
        return copy;
    }

    /** No value: absent, null, or a blank string (Intercom's way of clearing a text attribute). */
    static boolean lacks(Object value) {
        return value == null || value instanceof String s && s.isBlank();
    }
}
