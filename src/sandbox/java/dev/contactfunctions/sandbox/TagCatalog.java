package dev.contactfunctions.sandbox;

import static dev.contactfunctions.sandbox.RequestBodies.requireObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The workspace's tags (names unique regardless of case, ids strings of digits) and their application to contacts:
 * tagging or untagging a contact is a write to it, which the {@link SearchIndex} sees after its lag. Not
 * thread-safe: guarded by the {@link Workspace} lock.
 */
final class TagCatalog {

    private final ContactStore contacts;
    private final SearchIndex index;
    private final Supplier<Instant> time;
    private final Map<String, TagDef> tags = new LinkedHashMap<>();
    private long nextTagId = 100;

    TagCatalog(ContactStore contacts, SearchIndex index, Supplier<Instant> time) {
        this.contacts = contacts;
        this.index = index;
        this.time = time;
    }

    ObjectNode list() {
        return Views.list("list", "data", tags.values().stream().map(Views::tagBasic).toList());
    }

    ObjectNode get(String id) {
        return Views.tagBasic(existing(id));
    }

    /** {@code POST /tags}: create (or find, names are case-insensitive), rename by id, or tag contacts in bulk. */
    ObjectNode createOrUpdate(JsonNode body) {
        requireObject(body);
        JsonNode nameNode = body.get("name");
        if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
            throw ApiError.invalid("invalid tag parameters");
        }
        if (body.has("companies")) {
            throw ApiError.invalid("invalid tag parameters: the Intercom sandbox does not model companies");
        }
        String name = nameNode.asText().trim();
        TagDef tag;
        if (body.hasNonNull("id")) {
            tag = existing(body.get("id").asText());
            Optional<TagDef> clash = named(name).filter(other -> other != tags.get(body.get("id").asText()));
            if (clash.isPresent()) {
                throw ApiError.invalid("A tag named '" + clash.get().name + "' already exists");
            }
            tag.name = name;
        } else {
            List<StoredContact> users = new ArrayList<>();
            if (body.has("users")) {
                JsonNode list = body.get("users");
                if (!list.isArray()) {
                    throw ApiError.invalid("invalid tag parameters");
                }
                for (JsonNode user : list) {
                    users.add(contacts.active(user.path("id").asText()));
                }
            }
            tag = define(name);
            long now = time.get().getEpochSecond();
            for (StoredContact contact : users) {
                if (contact.tags.putIfAbsent(tag.id, now) == null) {
                    contact.updatedAt = now;
                    index.reindex(contact);
                }
            }
        }
        return Views.tagBasic(tag);
    }

    ObjectNode tagsOf(String contactId) {
        StoredContact contact = contacts.active(contactId);
        return Views.list("list", "data", contact.tags.entrySet().stream()
                .map(e -> Views.appliedTag(tags.get(e.getKey()), e.getValue(), Workspace.ADMIN_ID)).toList());
    }

    ObjectNode tag(String contactId, JsonNode body) {
        StoredContact contact = contacts.active(contactId);
        requireObject(body);
        JsonNode id = body.get("id");
        if (id == null || id.isNull() || !(id.isTextual() || id.isIntegralNumber())) {
            throw ApiError.invalid("invalid tag parameters: the body needs the tag's id");
        }
        TagDef tag = existing(id.asText());
        long now = time.get().getEpochSecond();
        if (contact.tags.putIfAbsent(tag.id, now) == null) {
            contact.updatedAt = now;
            index.reindex(contact);
        }
        return Views.appliedTag(tag, contact.tags.get(tag.id), Workspace.ADMIN_ID);
    }

    ObjectNode untag(String contactId, String tagId) {
        StoredContact contact = contacts.active(contactId);
        TagDef tag = existing(tagId);
        Long appliedAt = contact.tags.remove(tag.id);
        if (appliedAt != null) {
            contact.updatedAt = time.get().getEpochSecond();
            index.reindex(contact);
        }
        return Views.appliedTag(tag, appliedAt, Workspace.ADMIN_ID);
    }

    /** The tag of this name (in any case), created if there is none. */
    TagDef define(String name) {
        return named(name).orElseGet(() -> {
            TagDef tag = new TagDef(Long.toString(nextTagId++), name);
            tags.put(tag.id, tag);
            return tag;
        });
    }

    Map<String, TagDef> byId() {
        return new LinkedHashMap<>(tags);
    }

    private TagDef existing(String id) {
        TagDef tag = tags.get(id);
        if (tag == null) {
            throw ApiError.resourceNotFound();
        }
        return tag;
    }

    private Optional<TagDef> named(String name) {
        return tags.values().stream().filter(t -> t.name.equalsIgnoreCase(name)).findFirst();
    }
}
