package dev.contactfunctions.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One emulated Intercom workspace: its {@link ContactStore contacts}, the {@link SearchIndex search index} that lags
 * them, and its {@link TagCatalog tags}, {@link SegmentCatalog segments} and {@link AttributeCatalog data
 * attributes}. Every public-facing operation takes and answers JSON and throws {@link ApiError} the way Intercom
 * answers errors. One lock, this object's, guards all of them: a write to a contact and its new version in the index
 * happen together, and a late write ({@link #asOf}) lands whole.
 */
final class Workspace {

    static final String ADMIN_ID = "991267001";
    private static final int SEARCH_DEFAULT_PER_PAGE = 50;
    private static final int LIST_DEFAULT_PER_PAGE = 10;

    private final Clock clock;
    private final String workspaceId;
    private final AttributeCatalog attributes;
    private final SegmentCatalog segments;
    private final SearchIndex index;
    private final ContactStore contacts;
    private final TagCatalog tags;

    /** While a late write lands ({@link #asOf}): the time it happens at, instead of the clock's. */
    private Instant landingAt;

    Workspace(Clock clock, String workspaceId, Duration searchLag) {
        this.clock = clock;
        this.workspaceId = workspaceId;
        Supplier<Instant> time = this::instant;
        this.attributes = new AttributeCatalog(time);
        this.segments = new SegmentCatalog(attributes, time);
        this.index = new SearchIndex(attributes, segments, time, searchLag);
        this.contacts = new ContactStore(index, attributes, time);
        this.tags = new TagCatalog(contacts, index, time);
    }

    String workspaceId() {
        return workspaceId;
    }

    Clock clock() {
        return clock;
    }

    void setSearchLag(Duration lag) {
        index.setSearchLag(lag);
    }

    Duration searchLag() {
        return index.searchLag();
    }

    private Instant instant() {
        return landingAt != null ? landingAt : clock.instant();
    }

    /** Runs a write as if it happened at {@code at}: its timestamps and search lag count from then. */
    synchronized <T> T asOf(Instant at, Supplier<T> write) {
        landingAt = at;
        try {
            return write.get();
        } finally {
            landingAt = null;
        }
    }

    // ---- contacts (every write first drops the kept results: they may be stale now)

    synchronized ObjectNode createContact(JsonNode body) {
        index.listingChanged(); // search sees the write once reindexed
        return view(contacts.create(body));
    }

    synchronized ObjectNode getContact(String id) {
        return view(contacts.active(id));
    }

    synchronized ObjectNode findByExternalId(String externalId) {
        return view(contacts.userByExternalId(externalId));
    }

    synchronized ObjectNode updateContact(String id, JsonNode body) {
        index.listingChanged(); // search sees the write once reindexed
        return view(contacts.update(id, body));
    }

    synchronized ObjectNode deleteContact(String id) {
        index.changed();
        return Views.contactReference(contacts.delete(id), "deleted", true);
    }

    synchronized ObjectNode archiveContact(String id) {
        index.changed();
        return Views.contactReference(contacts.setArchived(id, true), "archived", true);
    }

    synchronized ObjectNode unarchiveContact(String id) {
        index.changed();
        return Views.contactReference(contacts.setArchived(id, false), "archived", false);
    }

    /** Merges a lead into a user: the lead's tags move to the user, then the lead is gone for good. */
    synchronized ObjectNode merge(JsonNode body) {
        index.changed();
        return view(contacts.merge(body));
    }

    synchronized ObjectNode listContacts(Integer perPage, String startingAfter) {
        return Views.contactPage(Pager.page(index.listing(contacts.all()), startingAfter,
                Pager.perPage(perPage, LIST_DEFAULT_PER_PAGE)), workspaceId);
    }

    synchronized ObjectNode search(JsonNode body) {
        RequestBodies.requireObject(body);
        ContactFilter filter = ContactFilter.parse(body.get("query"), attributes::customAttribute, true);
        JsonNode pagination = body.path("pagination");
        Integer perPage = null;
        String cursor = null;
        if (pagination.isObject()) {
            JsonNode size = pagination.get("per_page");
            if (size != null && !size.isNull()) {
                if (!size.canConvertToInt() || !size.isIntegralNumber()) {
                    throw ApiError.invalid("per_page must be a positive integer");
                }
                perPage = size.intValue();
            }
            JsonNode after = pagination.get("starting_after");
            cursor = after == null || after.isNull() ? null : after.asText();
        }
        Pager.Order order = sortOrder(body.get("sort"));
        Pager.Sorted sorted = index.search(contacts, body.get("query"), filter, order);
        Pager.Page page = Pager.page(sorted, cursor, Pager.perPage(perPage, SEARCH_DEFAULT_PER_PAGE));
        // the index decides what matches; the answer shows each contact as it is now
        List<StoredContact> current = page.items().stream().map(c -> contacts.find(c.id).orElse(null)).toList();
        return Views.contactPage(new Pager.Page(current, page.totalCount(), page.page(), page.perPage(),
                page.totalPages(), page.next()), workspaceId);
    }

    private Pager.Order sortOrder(JsonNode sort) {
        if (sort == null || sort.isNull()) {
            return new Pager.Order(ContactFilter.field("created_at", attributes::customAttribute), true);
        }
        if (!sort.isObject() || !sort.path("field").isTextual()) {
            throw ApiError.invalid("sort needs a field");
        }
        ContactFilter.Field field = ContactFilter.field(sort.get("field").asText(), attributes::customAttribute);
        if (field.kind() == ContactFilter.Kind.TAG_ID || field.kind() == ContactFilter.Kind.SEGMENT_ID) {
            throw ApiError.invalid("Cannot sort by " + field.name());
        }
        JsonNode order = sort.get("order");
        String value = order == null || order.isNull() ? "descending" : order.asText();
        if (!value.equals("ascending") && !value.equals("descending")) {
            throw new ApiError(400, "invalid_sort_order",
                    "Invalid sort order '" + value + "'. Must be one of: ascending, descending");
        }
        return new Pager.Order(field, value.equals("descending"));
    }

    // ---- the admin and the app

    /** The workspace's app id, as {@code GET /me} names it: the code in the web app's addresses. */
    public static final String APP_ID = "sandbox0";

    /** {@code GET /me}: the token's admin with the app embedded, shaped like Intercom's {@code admin_with_app}. */
    ObjectNode me() {
        ObjectNode admin = Json.object().put("type", "admin").put("id", "991267459").put("email", "admin@sandbox.invalid")
                .put("name", "Sandbox Admin").put("email_verified", true);
        admin.putObject("app").put("type", "app").put("id_code", APP_ID).put("name", "Intercom sandbox")
                .put("created_at", 1734537243).put("secure", false).put("identity_verification", false)
                .put("timezone", "UTC").put("region", "US");
        admin.put("has_inbox_seat", true);
        return admin;
    }

    // ---- tags

    synchronized ObjectNode listTags() {
        return tags.list();
    }

    synchronized ObjectNode getTag(String id) {
        return tags.get(id);
    }

    /** {@code POST /tags}: create (or find, names are case-insensitive), rename by id, or tag contacts in bulk. */
    synchronized ObjectNode createOrUpdateTag(JsonNode body) {
        index.changed();
        return tags.createOrUpdate(body);
    }

    synchronized ObjectNode contactTags(String contactId) {
        return tags.tagsOf(contactId);
    }

    synchronized ObjectNode tagContact(String contactId, JsonNode body) {
        index.listingChanged(); // search sees the write once reindexed
        return tags.tag(contactId, body);
    }

    synchronized ObjectNode untagContact(String contactId, String tagId) {
        index.listingChanged(); // search sees the write once reindexed
        return tags.untag(contactId, tagId);
    }

    // ---- segments

    synchronized ObjectNode listSegments(boolean includeCount) {
        return segments.list(includeCount, this::memberCount);
    }

    synchronized ObjectNode getSegment(String id, boolean includeCount) {
        return segments.get(id, includeCount, this::memberCount);
    }

    private int memberCount(SegmentDef segment) {
        return index.memberCount(segment.id(), () -> segments.members(segment, contacts.all()));
    }

    synchronized ObjectNode contactSegments(String contactId) {
        return segments.segmentsOf(contacts.active(contactId));
    }

    // ---- data attributes

    synchronized ObjectNode listDataAttributes(String model) {
        return attributes.list(model);
    }

    synchronized ObjectNode createDataAttribute(JsonNode body) {
        index.changed();
        return attributes.create(body);
    }

    Optional<AttributeDef> customAttribute(String name) {
        return attributes.customAttribute(name);
    }

    // ---- seeding and inspection (no HTTP, no lag)

    synchronized void insertSeeded(StoredContact contact) {
        index.changed();
        contacts.insertSeeded(contact);
    }

    synchronized String nextContactId(long epochSecond) {
        return contacts.nextContactId(epochSecond);
    }

    synchronized TagDef defineTag(String name) {
        index.changed();
        return tags.define(name);
    }

    synchronized SegmentDef defineSegment(String id, String name, String personType, JsonNode filterJson) {
        index.changed();
        return segments.define(id, name, personType, filterJson);
    }

    synchronized Map<String, TagDef> tagsById() {
        return tags.byId();
    }

    synchronized List<AttributeDef> attributeList() {
        return attributes.all();
    }

    synchronized List<StoredContact> contactCopies() {
        return contacts.all().stream().map(StoredContact::copy).toList();
    }

    synchronized Map<String, String> mergedLeads() {
        return new LinkedHashMap<>(contacts.mergedInto());
    }

    synchronized Optional<StoredContact> contactCopy(String id) {
        return contacts.find(id).map(StoredContact::copy);
    }

    /** Makes every pending write searchable now, as if the lag had passed. */
    synchronized void indexNow() {
        index.indexNow();
    }

    synchronized ObjectNode inspect() {
        ObjectNode n = Json.object();
        Map<String, String> tagNames = new HashMap<>();
        tags.byId().values().forEach(t -> tagNames.put(t.id, t.name));
        var list = n.putArray("contacts");
        contacts.all().forEach(c -> list.add(Views.inspected(c, workspaceId, tagNames)));
        ObjectNode merged = n.putObject("merged");
        contacts.mergedInto().forEach(merged::put);
        n.put("total", contacts.all().size());
        return n;
    }

    private ObjectNode view(StoredContact contact) {
        return Views.contact(contact, workspaceId);
    }
}
