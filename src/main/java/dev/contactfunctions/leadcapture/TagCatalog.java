package dev.contactfunctions.leadcapture;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.model.Tag;

/**
 * The workspace's tags by name (Intercom compares tag names case-insensitively), listed once per warm instance;
 * a tag not in the list is created, which costs one call the first time it is seen.
 */
@ApplicationScoped
public class TagCatalog {

    private final IntercomClient intercom;
    private Map<String, Tag> byName;

    TagCatalog(IntercomClient intercom) {
        this.intercom = intercom;
    }

    /** The tag of that name, created when the workspace does not have it. */
    public synchronized Tag resolve(String name) {
        if (byName == null) {
            Map<String, Tag> loaded = new HashMap<>();
            intercom.listTags().forEach(tag -> {
                if (tag.name() != null) {
                    loaded.putIfAbsent(key(tag.name()), tag);
                }
            });
            byName = loaded;
        }
        Tag tag = byName.get(key(name));
        if (tag == null) {
            tag = intercom.createTag(name);
            byName.put(key(name), tag);
        }
        return tag;
    }

    /** Drops a cached tag that Intercom no longer knows (deleted since the list was read). */
    public synchronized void forget(String name) {
        if (byName != null) {
            byName.remove(key(name));
        }
    }

    /** Forgets the whole list; the next tag resolved reads it again. */
    public synchronized void invalidate() {
        byName = null;
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
