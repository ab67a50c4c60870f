package dev.contactfunctions.sandbox;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON Intercom answers, shaped like the 2.14 OpenAPI schemas ({@code contact}, {@code tag}, ...). */
final class Views {

    /** Intercom embeds at most this many tags in a contact. */
    static final int EMBEDDED_TAGS = 10;

    private Views() {
    }

    static ObjectNode contact(StoredContact c, String workspaceId) {
        ObjectNode n = Json.object();
        n.put("type", "contact");
        n.put("id", c.id);
        n.put("workspace_id", workspaceId);
        n.put("external_id", c.externalId);
        n.put("role", c.role);
        // the schema types email as a non-nullable string: a contact without one has no email key
        if (c.email != null) {
            n.put("email", c.email);
            String domain = c.emailDomain();
            if (domain != null) {
                n.put("email_domain", domain);
            }
        }
        n.put("phone", c.phone);
        n.put("name", c.name);
        if (c.avatar == null) {
            n.putNull("avatar");
        } else {
            n.putObject("avatar").put("type", "avatar").put("image_url", c.avatar);
        }
        n.put("owner_id", c.ownerId);
        n.putObject("social_profiles").put("type", "list").putArray("data");
        n.put("has_hard_bounced", c.hasHardBounced);
        n.put("marked_email_as_spam", c.markedEmailAsSpam);
        n.put("unsubscribed_from_emails", c.unsubscribedFromEmails);
        n.put("created_at", c.createdAt);
        n.put("updated_at", c.updatedAt);
        n.put("signed_up_at", c.signedUpAt);
        n.put("last_seen_at", c.lastSeenAt);
        for (String never : List.of("last_replied_at", "last_contacted_at", "last_email_opened_at",
                "last_email_clicked_at", "language_override", "browser", "browser_version", "browser_language",
                "os")) {
            n.putNull(never);
        }
        ObjectNode location = n.putObject("location");
        location.put("type", "location");
        location.put("country", c.country);
        location.put("region", c.region);
        location.put("city", c.city);
        location.putNull("country_code");
        location.putNull("continent_code");
        for (String device : List.of("android_app_name", "android_app_version", "android_device",
                "android_os_version", "android_sdk_version", "android_last_seen_at", "ios_app_name",
                "ios_app_version", "ios_device", "ios_os_version", "ios_sdk_version", "ios_last_seen_at")) {
            n.putNull(device);
        }
        n.set("custom_attributes", Json.map(c.customAttributes));
        ObjectNode tags = n.putObject("tags");
        tags.put("type", "list");
        ArrayNode data = tags.putArray("data");
        c.tags.keySet().stream().limit(EMBEDDED_TAGS)
                .forEach(id -> data.addObject().put("type", "tag").put("id", id).put("url", "/tags/" + id));
        tags.put("url", "/contacts/" + c.id + "/tags");
        tags.put("total_count", c.tags.size());
        tags.put("has_more", c.tags.size() > EMBEDDED_TAGS);
        emptyList(n, "notes", "/contacts/" + c.id + "/notes");
        emptyList(n, "companies", "/contacts/" + c.id + "/companies");
        emptyList(n, "opted_out_subscription_types", "/contacts/" + c.id + "/subscriptions");
        emptyList(n, "opted_in_subscription_types", "/contacts/" + c.id + "/subscriptions");
        for (String utm : List.of("utm_campaign", "utm_content", "utm_medium", "utm_source", "utm_term",
                "referrer")) {
            n.putNull(utm);
        }
        n.putNull("enabled_push_messaging");
        return n;
    }

    private static void emptyList(ObjectNode parent, String name, String url) {
        ObjectNode list = parent.putObject(name);
        list.put("type", "list");
        list.putArray("data");
        list.put("url", url);
        list.put("total_count", 0);
        list.put("has_more", false);
    }

    /** {@code contact_deleted} / {@code contact_archived} / {@code contact_unarchived}. */
    static ObjectNode contactReference(StoredContact c, String flag, boolean value) {
        ObjectNode n = Json.object();
        n.put("type", "contact");
        n.put("id", c.id);
        n.put("external_id", c.externalId);
        n.put(flag, value);
        return n;
    }

    static ObjectNode contactPage(Pager.Page page, String workspaceId) {
        ObjectNode n = Json.object();
        n.put("type", "list");
        ArrayNode data = n.putArray("data");
        page.items().forEach(c -> data.add(contact(c, workspaceId)));
        n.put("total_count", page.totalCount());
        ObjectNode pages = n.putObject("pages");
        pages.put("type", "pages");
        pages.put("page", page.page());
        pages.put("per_page", page.perPage());
        pages.put("total_pages", page.totalPages());
        if (page.next() != null) {
            pages.putObject("next").put("page", page.page() + 1).put("starting_after", page.next());
        }
        return n;
    }

    static ObjectNode tagBasic(TagDef tag) {
        ObjectNode n = Json.object();
        n.put("type", "tag");
        n.put("id", tag.id);
        n.put("name", tag.name);
        return n;
    }

    /** The {@code tag} schema as the tagging endpoints answer it. */
    static ObjectNode appliedTag(TagDef tag, Long appliedAt, String adminId) {
        ObjectNode n = tagBasic(tag);
        n.put("applied_at", appliedAt);
        if (appliedAt == null) {
            n.putNull("applied_by");
        } else {
            n.putObject("applied_by").put("type", "admin").put("id", adminId);
        }
        return n;
    }

    static ObjectNode list(String type, String field, List<ObjectNode> items) {
        ObjectNode n = Json.object();
        n.put("type", type);
        n.putArray(field).addAll(items);
        return n;
    }

    static ObjectNode segment(SegmentDef s, Integer count) {
        ObjectNode n = Json.object();
        n.put("type", "segment");
        n.put("id", s.id());
        n.put("name", s.name());
        n.put("created_at", s.createdAt());
        n.put("updated_at", s.updatedAt());
        n.put("person_type", s.personType());
        if (count != null) {
            n.put("count", count);
        }
        return n;
    }

    static ObjectNode attribute(AttributeDef a, String adminId) {
        ObjectNode n = Json.object();
        n.put("type", "data_attribute");
        if (a.id() != null) {
            n.put("id", a.id());
        }
        n.put("model", a.model());
        n.put("name", a.name());
        n.put("full_name", a.fullName());
        n.put("label", a.label());
        n.put("description", a.description() == null ? "" : a.description());
        n.put("data_type", a.dataType());
        if (a.options() != null && !a.options().isEmpty()) {
            ArrayNode options = n.putArray("options");
            a.options().forEach(options::add);
        }
        n.put("api_writable", a.apiWritable());
        n.put("ui_writable", true);
        n.put("messenger_writable", a.custom());
        n.put("custom", a.custom());
        n.put("archived", false);
        if (a.custom()) {
            n.put("created_at", a.createdAt());
            n.put("updated_at", a.createdAt());
            n.put("admin_id", adminId);
        }
        return n;
    }

    /** One contact as {@code GET /_sandbox/contacts} shows it: the Intercom view plus the sandbox's own flags. */
    static ObjectNode inspected(StoredContact c, String workspaceId, Map<String, String> tagNames) {
        ObjectNode n = contact(c, workspaceId);
        n.put("archived", c.archived);
        ArrayNode names = n.putArray("tag_names");
        c.tags.keySet().forEach(id -> names.add(tagNames.getOrDefault(id, id)));
        return n;
    }
}
