package dev.contactfunctions.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state of one emulated Intercom workspace and Intercom's rules over it. Every public-facing operation takes
 * and answers JSON and throws {@link ApiError} the way Intercom answers errors. One lock guards everything.
 *
 * <p>
 * Search reads an index that lags writes by {@code searchLag}: a write adds a new version of the contact that
 * becomes searchable only when the lag has passed; until then search sees the previous version (or nothing, for a
 * new contact). Deleted, merged and archived contacts leave search at once.
 *
 * <p>
 * Sorted listing and search results are kept and reused by the next pages while nothing changes, so that paging
 * through a workspace of 100,000 contacts costs one scan, not one per page: a write that search sees at once (a
 * delete, a merge, any write without a search lag) clears them, a lagging write clears the listing at once and the
 * search results when it becomes searchable. A search for one email ({@code email = x}, alone or in a top-level AND)
 * tests only the contacts that ever had that email, not every contact.
 */
final class Workspace implements ContactFilter.Context {

    static final String ADMIN_ID = "991267001";
    private static final Set<String> ROLES = Set.of(StoredContact.USER, StoredContact.LEAD);
    private static final Set<String> DATA_TYPES = Set.of("string", "integer", "float", "boolean", "datetime", "date",
            "options");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{N}\\p{Sc} _-]+");
    private static final int SEARCH_DEFAULT_PER_PAGE = 50;
    private static final int LIST_DEFAULT_PER_PAGE = 10;

    private final Clock clock;
    private final String workspaceId;
    private volatile Duration searchLag;

    private final Map<String, StoredContact> contacts = new LinkedHashMap<>();
    private final Map<String, String> mergedInto = new LinkedHashMap<>();
    private final Map<String, Deque<Version>> index = new HashMap<>();
    private final Map<String, TagDef> tags = new LinkedHashMap<>();
    private final Map<String, SegmentDef> segments = new LinkedHashMap<>();
    private final List<AttributeDef> attributes = new ArrayList<>(StandardAttributes.CONTACT);
    private static final long ID_BASE = 0x3c6ef372fe94f000L;
    private long idCounter = 1;
    private long nextTagId = 100;
    private long nextAttributeId = 15_000;
    /** Enough for every chain of an audit reading a hundred segments in partitions, all at once. */
    private static final int SORTED_RESULTS_KEPT = 2_048;
    private final Map<String, Pager.Sorted> sortedResults = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pager.Sorted> eldest) {
            return size() > SORTED_RESULTS_KEPT;
        }
    };
    /**
     * The contacts each condition of a top-level AND matches (by the condition's JSON), kept like the results: a
     * search that adds a {@code created_at} range to a kept condition scans that condition's matches only.
     */
    private final Map<String, List<StoredContact>> conditionMatches = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<StoredContact>> eldest) {
            return size() > SORTED_RESULTS_KEPT;
        }
    };
    /** When each lagging write becomes searchable (kept search results are dropped then), earliest first. */
    private final PriorityQueue<Instant> becomingSearchable = new PriorityQueue<>();
    /** The ids of the contacts each trimmed, lower-cased email was ever indexed with (a superset of the matches). */
    private final Map<String, Set<String>> idsByEmail = new HashMap<>();
    private Instant lastSearchAt;

    /** While a late write lands ({@link #asOf}): the time it happens at, instead of the clock's. */
    private Instant landingAt;

    private record Version(StoredContact snapshot, Instant visibleAt) {
    }

    Workspace(Clock clock, String workspaceId, Duration searchLag) {
        this.clock = clock;
        this.workspaceId = workspaceId;
        this.searchLag = searchLag;
    }

    String workspaceId() {
        return workspaceId;
    }

    Clock clock() {
        return clock;
    }

    void setSearchLag(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("the search lag cannot be negative");
        }
        this.searchLag = lag;
    }

    Duration searchLag() {
        return searchLag;
    }

    private long now() {
        return instant().getEpochSecond();
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

    // ---- contacts

    synchronized ObjectNode createContact(JsonNode body) {
        listingChanged(); // search sees the write once reindexed
        requireObject(body);
        String role = text(body, "role");
        String externalId = text(body, "external_id");
        String email = trimmed(text(body, "email"));
        if (role == null && externalId == null && email == null) {
            throw ApiError.invalid("A contact needs at least one of role, email or external_id");
        }
        role = role == null ? StoredContact.USER : role;
        checkRole(role);
        if (StoredContact.LEAD.equals(role) && !blank(externalId)) {
            throw externalIdOnLead();
        }
        if (StoredContact.USER.equals(role) && blank(email) && blank(externalId)) {
            throw ApiError.invalid("A user needs an email or an external_id");
        }
        Map<String, Object> custom = customAttributes(body);
        if (StoredContact.USER.equals(role)) {
            ensureNoOtherUser(null, email, externalId);
        }
        StoredContact contact = new StoredContact(nextContactId(now()));
        contact.role = role;
        contact.createdAt = now();
        contact.updatedAt = contact.createdAt;
        apply(contact, body, custom);
        contacts.put(contact.id, contact);
        reindex(contact);
        return view(contact);
    }

    synchronized ObjectNode getContact(String id) {
        return view(active(id));
    }

    synchronized ObjectNode findByExternalId(String externalId) {
        return contacts.values().stream()
                .filter(c -> c.isUser() && !c.archived && externalId.equals(c.externalId))
                .findFirst().map(this::view).orElseThrow(ApiError::contactNotFound);
    }

    synchronized ObjectNode updateContact(String id, JsonNode body) {
        listingChanged(); // search sees the write once reindexed
        StoredContact contact = active(id);
        requireObject(body);
        String role = body.has("role") ? text(body, "role") : contact.role;
        checkRole(role);
        if (contact.isUser() && StoredContact.LEAD.equals(role)) {
            throw ApiError.invalid("A user cannot be turned into a lead");
        }
        if (StoredContact.LEAD.equals(role) && !blank(text(body, "external_id"))) {
            throw externalIdOnLead();
        }
        Map<String, Object> custom = customAttributes(body);
        if (StoredContact.USER.equals(role)) {
            boolean becomesUser = !contact.isUser();
            String email = body.has("email") ? trimmed(text(body, "email")) : contact.email;
            String externalId = body.has("external_id") ? text(body, "external_id") : contact.externalId;
            if (blank(email) && blank(externalId)) {
                throw ApiError.invalid("A user needs an email or an external_id");
            }
            boolean emailChanges = becomesUser || email != null && !contact.sameEmail(email);
            boolean externalIdChanges = becomesUser || externalId != null && !externalId.equals(contact.externalId);
            ensureNoOtherUser(contact.id, emailChanges ? email : null, externalIdChanges ? externalId : null);
        }
        contact.role = role;
        apply(contact, body, custom);
        contact.updatedAt = now();
        reindex(contact);
        return view(contact);
    }

    synchronized ObjectNode deleteContact(String id) {
        changed();
        StoredContact contact = existing(id);
        contacts.remove(id);
        index.remove(id);
        return Views.contactReference(contact, "deleted", true);
    }

    synchronized ObjectNode archiveContact(String id) {
        changed();
        StoredContact contact = existing(id);
        contact.archived = true;
        return Views.contactReference(contact, "archived", true);
    }

    synchronized ObjectNode unarchiveContact(String id) {
        changed();
        StoredContact contact = existing(id);
        contact.archived = false;
        return Views.contactReference(contact, "archived", false);
    }

    /** Merges a lead into a user: the lead's tags move to the user, then the lead is gone for good. */
    synchronized ObjectNode merge(JsonNode body) {
        changed();
        requireObject(body);
        String from = text(body, "from");
        String into = text(body, "into");
        if (blank(from) || blank(into)) {
            throw ApiError.invalid("from and into are both required");
        }
        if (from.equals(into)) {
            throw ApiError.invalid("A contact cannot be merged into itself");
        }
        StoredContact lead = active(from);
        StoredContact user = active(into);
        if (!lead.isLead() || !user.isUser()) {
            throw ApiError.invalid("Only a lead can be merged, and only into a user: 'from' is a " + lead.role
                    + " and 'into' a " + user.role);
        }
        long now = now();
        lead.tags.keySet().forEach(tagId -> user.tags.putIfAbsent(tagId, now));
        user.updatedAt = now;
        contacts.remove(lead.id);
        index.remove(lead.id);
        mergedInto.put(lead.id, user.id);
        reindex(user);
        return view(user);
    }

    synchronized ObjectNode listContacts(Integer perPage, String startingAfter) {
        Pager.Sorted all = sortedResults.computeIfAbsent("list", key -> Pager.sort(
                contacts.values().stream().filter(c -> !c.archived).toList(),
                new Pager.Order(ContactFilter.field("id", this::customAttribute), false)));
        return Views.contactPage(Pager.page(all, startingAfter, Pager.perPage(perPage, LIST_DEFAULT_PER_PAGE)),
                workspaceId);
    }

    synchronized ObjectNode search(JsonNode body) {
        requireObject(body);
        ContactFilter filter = ContactFilter.parse(body.get("query"), this::customAttribute, true);
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
        Instant now = instant();
        String resultKey = "search " + body.get("query") + " " + order.field().name() + " " + order.orderName();
        dropResultsOlderThanTheIndex(now);
        Pager.Sorted sorted = sortedResults.get(resultKey);
        if (sorted == null) {
            List<StoredContact> matches = new ArrayList<>();
            for (StoredContact indexed : candidates(body.get("query"), now)) {
                if (filter.test(indexed, this)) {
                    matches.add(indexed);
                }
            }
            sorted = Pager.sort(matches, order);
            sortedResults.put(resultKey, sorted);
        }
        Pager.Page page = Pager.page(sorted, cursor, Pager.perPage(perPage, SEARCH_DEFAULT_PER_PAGE));
        // the index decides what matches; the answer shows each contact as it is now
        List<StoredContact> current = page.items().stream().map(c -> contacts.get(c.id)).toList();
        return Views.contactPage(new Pager.Page(current, page.totalCount(), page.page(), page.perPage(),
                page.totalPages(), page.next()), workspaceId);
    }

    /** Every contact as the search index shows it now (archived ones left out). */
    private List<StoredContact> searchable(Instant now) {
        List<StoredContact> all = new ArrayList<>(contacts.size());
        for (StoredContact contact : contacts.values()) {
            StoredContact indexed = contact.archived ? null : searchable(contact.id, now);
            if (indexed != null) {
                all.add(indexed);
            }
        }
        return all;
    }

    /**
     * The contacts a settled search needs to test: for a top-level AND, the kept matches of its narrowest condition
     * (each condition's matches kept as they are first computed), else every searchable contact.
     */
    private List<StoredContact> candidates(JsonNode query, Instant now) {
        List<StoredContact> sameEmail = withEmailOf(query, now);
        if (sameEmail != null) {
            return sameEmail;
        }
        if (query == null || !"AND".equals(query.path("operator").asText()) || !query.path("value").isArray()) {
            return searchable(now);
        }
        List<StoredContact> narrowest = null;
        for (JsonNode condition : query.path("value")) {
            String key = condition.toString();
            List<StoredContact> matches = conditionMatches.get(key);
            if (matches == null) {
                ContactFilter filter = ContactFilter.parse(condition, this::customAttribute, true);
                matches = new ArrayList<>();
                for (StoredContact indexed : narrowest == null ? searchable(now) : narrowest) {
                    if (filter.test(indexed, this)) {
                        matches.add(indexed);
                    }
                }
                if (narrowest != null) {
                    narrowest = matches; // matches of this condition among the narrowest: not kept, not all of them
                    continue;
                }
                conditionMatches.put(key, matches);
            }
            if (narrowest == null || matches.size() < narrowest.size()) {
                narrowest = matches;
            }
        }
        return narrowest == null ? searchable(now) : narrowest;
    }

    /**
     * For a query {@code email = x} (alone or in a top-level AND): the searchable contacts ever indexed with that
     * email, in the order they were first indexed (a superset of the matches, which the filter then picks); else null.
     */
    private List<StoredContact> withEmailOf(JsonNode query, Instant now) {
        JsonNode condition = isEmailEquals(query) ? query : null;
        if (condition == null && query != null && "AND".equals(query.path("operator").asText())) {
            for (JsonNode c : query.path("value")) {
                if (isEmailEquals(c)) {
                    condition = c;
                    break;
                }
            }
        }
        if (condition == null) {
            return null;
        }
        List<StoredContact> found = new ArrayList<>();
        for (String id : idsByEmail.getOrDefault(emailKey(condition.path("value").asText()), Set.of())) {
            StoredContact contact = contacts.get(id);
            StoredContact indexed = contact == null || contact.archived ? null : searchable(id, now);
            if (indexed != null) {
                found.add(indexed);
            }
        }
        return found;
    }

    private static boolean isEmailEquals(JsonNode condition) {
        return condition != null && "email".equals(condition.path("field").asText())
                && "=".equals(condition.path("operator").asText()) && condition.path("value").isTextual();
    }

    private Pager.Order sortOrder(JsonNode sort) {
        if (sort == null || sort.isNull()) {
            return new Pager.Order(ContactFilter.field("created_at", this::customAttribute), true);
        }
        if (!sort.isObject() || !sort.path("field").isTextual()) {
            throw ApiError.invalid("sort needs a field");
        }
        ContactFilter.Field field = ContactFilter.field(sort.get("field").asText(), this::customAttribute);
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
        return Views.list("list", "data", tags.values().stream().map(Views::tagBasic).toList());
    }

    synchronized ObjectNode getTag(String id) {
        TagDef tag = tags.get(id);
        if (tag == null) {
            throw ApiError.resourceNotFound();
        }
        return Views.tagBasic(tag);
    }

    /** {@code POST /tags}: create (or find, names are case-insensitive), rename by id, or tag contacts in bulk. */
    synchronized ObjectNode createOrUpdateTag(JsonNode body) {
        changed();
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
            tag = tags.get(body.get("id").asText());
            if (tag == null) {
                throw ApiError.resourceNotFound();
            }
            Optional<TagDef> clash = tagNamed(name).filter(other -> other != tags.get(body.get("id").asText()));
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
                    users.add(active(user.path("id").asText()));
                }
            }
            tag = tagNamed(name).orElseGet(() -> defineTagLocked(name));
            long now = now();
            for (StoredContact contact : users) {
                if (contact.tags.putIfAbsent(tag.id, now) == null) {
                    contact.updatedAt = now;
                    reindex(contact);
                }
            }
        }
        return Views.tagBasic(tag);
    }

    synchronized ObjectNode contactTags(String contactId) {
        StoredContact contact = active(contactId);
        return Views.list("list", "data", contact.tags.entrySet().stream()
                .map(e -> Views.appliedTag(tags.get(e.getKey()), e.getValue(), ADMIN_ID)).toList());
    }

    synchronized ObjectNode tagContact(String contactId, JsonNode body) {
        listingChanged(); // search sees the write once reindexed
        StoredContact contact = active(contactId);
        requireObject(body);
        JsonNode id = body.get("id");
        if (id == null || id.isNull() || !(id.isTextual() || id.isIntegralNumber())) {
            throw ApiError.invalid("invalid tag parameters: the body needs the tag's id");
        }
        TagDef tag = tags.get(id.asText());
        if (tag == null) {
            throw ApiError.resourceNotFound();
        }
        long now = now();
        if (contact.tags.putIfAbsent(tag.id, now) == null) {
            contact.updatedAt = now;
            reindex(contact);
        }
        return Views.appliedTag(tag, contact.tags.get(tag.id), ADMIN_ID);
    }

    synchronized ObjectNode untagContact(String contactId, String tagId) {
        listingChanged(); // search sees the write once reindexed
        StoredContact contact = active(contactId);
        TagDef tag = tags.get(tagId);
        if (tag == null) {
            throw ApiError.resourceNotFound();
        }
        Long appliedAt = contact.tags.remove(tag.id);
        if (appliedAt != null) {
            contact.updatedAt = now();
            reindex(contact);
        }
        return Views.appliedTag(tag, appliedAt, ADMIN_ID);
    }

    private Optional<TagDef> tagNamed(String name) {
        return tags.values().stream().filter(t -> t.name.equalsIgnoreCase(name)).findFirst();
    }

    private TagDef defineTagLocked(String name) {
        TagDef tag = new TagDef(Long.toString(nextTagId++), name);
        tags.put(tag.id, tag);
        return tag;
    }

    // ---- segments

    synchronized ObjectNode listSegments(boolean includeCount) {
        List<ObjectNode> views = segments.values().stream()
                .map(s -> Views.segment(s, includeCount ? (Integer) members(s) : null)).toList();
        ObjectNode list = Views.list("segment.list", "segments", views);
        list.putObject("pages");
        return list;
    }

    synchronized ObjectNode getSegment(String id, boolean includeCount) {
        SegmentDef segment = segments.get(id);
        if (segment == null) {
            throw ApiError.resourceNotFound();
        }
        return Views.segment(segment, includeCount ? members(segment) : null);
    }

    synchronized ObjectNode contactSegments(String contactId) {
        StoredContact contact = active(contactId);
        return Views.list("list", "data",
                segments.values().stream().filter(s -> s.admits(contact, this)).map(s -> Views.segment(s, null))
                        .toList());
    }

    private int members(SegmentDef segment) {
        return (int) contacts.values().stream().filter(c -> !c.archived && segment.admits(c, this)).count();
    }

    @Override
    public Optional<SegmentDef> segment(String id) {
        return Optional.ofNullable(segments.get(id));
    }

    // ---- data attributes

    synchronized ObjectNode listDataAttributes(String model) {
        if (model != null && !AttributeDef.CONTACT.equals(model) && !AttributeDef.COMPANY.equals(model)) {
            throw ApiError.invalid("The Data Attribute model field must be either contact or company");
        }
        return Views.list("list", "data", attributes.stream().filter(a -> model == null || model.equals(a.model()))
                .map(a -> Views.attribute(a, ADMIN_ID)).toList());
    }

    synchronized ObjectNode createDataAttribute(JsonNode body) {
        changed();
        requireObject(body);
        String name = text(body, "name");
        String model = text(body, "model");
        String dataType = text(body, "data_type");
        if (blank(name)) {
            throw ApiError.invalid("name is required");
        }
        if (!AttributeDef.CONTACT.equals(model) && !AttributeDef.COMPANY.equals(model)) {
            throw ApiError.invalid("The Data Attribute model field must be either contact or company");
        }
        if (dataType == null || !DATA_TYPES.contains(dataType)) {
            throw ApiError.invalid("Data Type isn't an option");
        }
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            throw ApiError.invalid(
                    "Your name for this attribute must only contain alphanumeric characters, currency symbols, and hyphens");
        }
        List<String> options = null;
        if (dataType.equals("options")) {
            JsonNode list = body.get("options");
            if (list == null || !list.isArray() || list.size() < 2) {
                throw ApiError.invalid("At least two options are required");
            }
            options = new ArrayList<>();
            for (JsonNode option : list) {
                if (!option.path("value").isTextual()) {
                    throw ApiError.invalid("Each option needs a string value");
                }
                options.add(option.get("value").asText());
            }
        }
        for (AttributeDef existing : attributes) {
            if (existing.name().equalsIgnoreCase(name)) {
                throw ApiError.invalid("You already have '" + existing.name() + "' in your " + dataNoun(existing.model())
                        + " data. To save this as new " + dataNoun(model) + " data, use a different name.");
            }
        }
        String storedType = switch (dataType) {
            case "options" -> "string";
            case "datetime" -> "date";
            default -> dataType;
        };
        AttributeDef created = new AttributeDef(nextAttributeId++, model, name, name, text(body, "description"),
                storedType, options, true, true, now());
        attributes.add(created);
        return Views.attribute(created, ADMIN_ID);
    }

    private static String dataNoun(String model) {
        return AttributeDef.CONTACT.equals(model) ? "people" : "company";
    }

    Optional<AttributeDef> customAttribute(String name) {
        return attributes.stream()
                .filter(a -> a.custom() && AttributeDef.CONTACT.equals(a.model()) && a.name().equals(name))
                .findFirst();
    }

    // ---- seeding and inspection (no HTTP, no lag)

    synchronized void insertSeeded(StoredContact contact) {
        changed();
        if (contacts.containsKey(contact.id) || mergedInto.containsKey(contact.id)) {
            throw new IllegalStateException("contact id already used: " + contact.id);
        }
        for (String name : contact.customAttributes.keySet()) {
            if (customAttribute(name).isEmpty()) {
                throw new IllegalArgumentException("Custom attribute '" + name
                        + "' is not defined: define the data attribute before seeding contacts with it");
            }
        }
        contacts.put(contact.id, contact);
        Deque<Version> versions = new ArrayDeque<>();
        versions.add(new Version(contact.copy(), Instant.MIN));
        index.put(contact.id, versions);
        indexEmail(contact);
    }

    synchronized String nextContactId(long epochSecond) {
        String id;
        do {
            // a timestamp then a counter: 24 hex chars that sort by creation, like Intercom's (MongoDB) ids
            id = String.format("%08x%016x", epochSecond & 0xffffffffL, ID_BASE + idCounter++);
        } while (contacts.containsKey(id) || mergedInto.containsKey(id));
        return id;
    }

    synchronized TagDef defineTag(String name) {
        changed();
        return tagNamed(name).orElseGet(() -> defineTagLocked(name));
    }

    synchronized SegmentDef defineSegment(String id, String name, String personType, JsonNode filterJson) {
        changed();
        if (!SegmentDef.USERS.equals(personType) && !SegmentDef.LEADS.equals(personType)) {
            throw new IllegalArgumentException("person_type is \"user\" or \"contact\" (leads), not " + personType);
        }
        if (segments.containsKey(id)) {
            throw new IllegalArgumentException("segment id already used: " + id);
        }
        ContactFilter filter = ContactFilter.parse(filterJson, this::customAttribute, false);
        long now = now();
        SegmentDef segment = new SegmentDef(id, name, personType, filterJson.deepCopy(), filter, now, now);
        segments.put(id, segment);
        return segment;
    }

    synchronized Map<String, TagDef> tagsById() {
        return new LinkedHashMap<>(tags);
    }

    synchronized List<SegmentDef> segmentList() {
        return List.copyOf(segments.values());
    }

    synchronized List<AttributeDef> attributeList() {
        return List.copyOf(attributes);
    }

    synchronized List<StoredContact> contactCopies() {
        return contacts.values().stream().map(StoredContact::copy).toList();
    }

    synchronized Map<String, String> mergedLeads() {
        return new LinkedHashMap<>(mergedInto);
    }

    synchronized Optional<StoredContact> contactCopy(String id) {
        return Optional.ofNullable(contacts.get(id)).map(StoredContact::copy);
    }

    /** Makes every pending write searchable now, as if the lag had passed. */
    synchronized void indexNow() {
        changed();
        index.values().forEach(versions -> {
            Version last = versions.peekLast();
            versions.clear();
            versions.add(new Version(last.snapshot(), Instant.MIN));
        });
        becomingSearchable.clear();
    }

    synchronized ObjectNode inspect() {
        ObjectNode n = Json.object();
        Map<String, String> tagNames = new HashMap<>();
        tags.values().forEach(t -> tagNames.put(t.id, t.name));
        var list = n.putArray("contacts");
        contacts.values().forEach(c -> list.add(Views.inspected(c, workspaceId, tagNames)));
        ObjectNode merged = n.putObject("merged");
        mergedInto.forEach(merged::put);
        n.put("total", contacts.size());
        return n;
    }

    // ---- helpers

    private ObjectNode view(StoredContact contact) {
        return Views.contact(contact, workspaceId);
    }

    /** A contact that can be read and written: not deleted, merged or archived. */
    private StoredContact active(String id) {
        StoredContact contact = contacts.get(id);
        if (contact == null || contact.archived) {
            throw ApiError.contactNotFound();
        }
        return contact;
    }

    /** A contact that exists, archived or not. */
    private StoredContact existing(String id) {
        StoredContact contact = contacts.get(id);
        if (contact == null) {
            throw ApiError.contactNotFound();
        }
        return contact;
    }

    private void ensureNoOtherUser(String selfId, String email, String externalId) {
        if (!blank(externalId)) {
            for (StoredContact c : contacts.values()) {
                if (c.isUser() && !c.id.equals(selfId) && externalId.equals(c.externalId)) {
                    throw ApiError.conflict(c.id, c.archived);
                }
            }
        }
        if (!blank(email)) {
            for (StoredContact c : contacts.values()) {
                if (c.isUser() && !c.id.equals(selfId) && c.sameEmail(email)) {
                    throw ApiError.conflict(c.id, c.archived);
                }
            }
        }
    }

    private void reindex(StoredContact contact) {
        Instant visibleAt = instant().plus(searchLag);
        index.computeIfAbsent(contact.id, id -> new ArrayDeque<>()).addLast(new Version(contact.copy(), visibleAt));
        indexEmail(contact);
        if (visibleAt.isAfter(clock.instant())) {
            becomingSearchable.add(visibleAt);
        } else {
            changed();
        }
    }

    private void indexEmail(StoredContact contact) {
        String key = emailKey(contact.email);
        if (key != null) {
            idsByEmail.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(contact.id);
        }
    }

    private static String emailKey(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    /** A write search sees at once: kept listing and search results may be stale now. */
    private void changed() {
        sortedResults.clear();
        conditionMatches.clear();
    }

    /** A write search sees only once reindexed (at once without a lag): the kept listing may be stale now. */
    private void listingChanged() {
        sortedResults.remove("list");
        if (searchLag.isZero()) {
            changed();
        }
    }

    /**
     * Drops the kept search results once a lagging write has become searchable since they were computed, or when the
     * clock has gone back before the last search (a test's clock).
     */
    private void dropResultsOlderThanTheIndex(Instant now) {
        boolean searchableNow = lastSearchAt != null && now.isBefore(lastSearchAt);
        if (lastSearchAt == null || now.isAfter(lastSearchAt)) {
            lastSearchAt = now;
        }
        while (!becomingSearchable.isEmpty() && !becomingSearchable.peek().isAfter(now)) {
            becomingSearchable.poll();
            searchableNow = true;
        }
        if (searchableNow) {
            changed();
        }
    }

    /** The newest version of the contact the index shows at {@code now}; older versions are dropped. */
    private StoredContact searchable(String id, Instant now) {
        Deque<Version> versions = index.get(id);
        if (versions == null) {
            return null;
        }
        Version chosen = null;
        int position = -1;
        int i = 0;
        for (Version v : versions) {
            if (!v.visibleAt().isAfter(now)) {
                chosen = v;
                position = i;
            }
            i++;
        }
        for (int k = 0; k < position; k++) {
            versions.pollFirst();
        }
        return chosen == null ? null : chosen.snapshot();
    }

    private void apply(StoredContact c, JsonNode body, Map<String, Object> custom) {
        if (body.has("role")) {
            c.role = text(body, "role");
        }
        if (body.has("external_id")) {
            c.externalId = text(body, "external_id");
        }
        if (body.has("email")) {
            c.email = trimmed(text(body, "email"));
        }
        if (body.has("phone")) {
            c.phone = text(body, "phone");
        }
        if (body.has("name")) {
            c.name = text(body, "name");
        }
        if (body.has("avatar")) {
            c.avatar = text(body, "avatar");
        }
        if (body.has("signed_up_at")) {
            c.signedUpAt = integer(body, "signed_up_at");
        }
        if (body.has("last_seen_at")) {
            c.lastSeenAt = integer(body, "last_seen_at");
        }
        if (body.has("owner_id")) {
            c.ownerId = integer(body, "owner_id");
        }
        if (body.has("unsubscribed_from_emails")) {
            JsonNode flag = body.get("unsubscribed_from_emails");
            if (!flag.isNull() && !flag.isBoolean()) {
                throw ApiError.invalid("unsubscribed_from_emails must be a boolean");
            }
            c.unsubscribedFromEmails = flag.asBoolean(false);
        }
        custom.forEach((name, value) -> {
            if (value == null) {
                c.customAttributes.remove(name);
            } else {
                c.customAttributes.put(name, value);
            }
        });
    }

    /** The custom attributes of a write, each checked to exist and to have the attribute's type. */
    private Map<String, Object> customAttributes(JsonNode body) {
        JsonNode node = body.get("custom_attributes");
        Map<String, Object> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw ApiError.invalid("custom_attributes must be an object");
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var entry = fields.next();
            AttributeDef def = customAttribute(entry.getKey())
                    .orElseThrow(() -> ApiError.unknownCustomAttribute(entry.getKey()));
            Object value = Json.scalar(entry.getValue());
            if (value == null && !entry.getValue().isNull()) {
                throw ApiError.invalid("Custom attribute '" + def.name() + "' takes a single value");
            }
            if (value != null && !fitsType(def, value)) {
                throw ApiError.invalid("Custom attribute '" + def.name() + "' must be of type " + def.dataType());
            }
            result.put(def.name(), value);
        }
        return result;
    }

    private static boolean fitsType(AttributeDef def, Object value) {
        return switch (def.dataType()) {
            case "integer", "date" -> value instanceof Long;
            case "float" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> value instanceof String;
        };
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid("The request body must be a JSON object");
        }
    }

    private static void checkRole(String role) {
        if (!ROLES.contains(role)) {
            throw ApiError.invalid("role must be one of user or lead");
        }
    }

    private static ApiError externalIdOnLead() {
        return ApiError.invalid("external_id can't be set for a contact with role lead");
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber() && "external_id".equals(field)) {
            return value.asText();
        }
        throw ApiError.invalid(field + " must be a string");
    }

    private static Long integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw ApiError.invalid(field + " must be an integer");
        }
        return value.longValue();
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** Intercom's standard contact data attributes (the custom ones follow them in listings). */
    static final class StandardAttributes {
        static final List<AttributeDef> CONTACT = List.of(
                standard("id", "ID", "string", false), standard("role", "Role", "string", true),
                standard("external_id", "User ID", "string", true), standard("name", "Name", "string", true),
                standard("email", "Email", "string", true), standard("email_domain", "Email domain", "string", false),
                standard("phone", "Phone", "string", true), standard("owner_id", "Owner", "integer", true),
                standard("created_at", "Created at", "date", false),
                standard("updated_at", "Updated at", "date", false),
                standard("signed_up_at", "Signed up", "date", true),
                standard("last_seen_at", "Last seen", "date", true),
                standard("unsubscribed_from_emails", "Unsubscribed from emails", "boolean", true),
                standard("has_hard_bounced", "Has hard bounced", "boolean", false),
                standard("marked_email_as_spam", "Marked email as spam", "boolean", false),
                standard("location.country", "Country", "string", false),
                standard("location.region", "Region", "string", false),
                standard("location.city", "City", "string", false));

        private static AttributeDef standard(String name, String label, String type, boolean writable) {
            return new AttributeDef(null, AttributeDef.CONTACT, name, label, label, type, null, false, writable, 0);
        }

        private StandardAttributes() {
        }
    }
}
