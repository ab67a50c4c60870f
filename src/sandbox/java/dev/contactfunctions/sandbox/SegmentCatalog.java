package dev.contactfunctions.sandbox;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The workspace's segments: saved filters, defined by seeding only (Intercom's API cannot create them), evaluated
 * on the contacts as they are now. Not thread-safe: guarded by the {@link Workspace} lock.
 */
final class SegmentCatalog implements ContactFilter.Context {

    private final AttributeCatalog attributes;
    private final Supplier<Instant> time;
    private final Map<String, SegmentDef> segments = new LinkedHashMap<>();

    SegmentCatalog(AttributeCatalog attributes, Supplier<Instant> time) {
        this.attributes = attributes;
        this.time = time;
    }

    /** The segments, each with its member count from {@code count} when asked for. */
    ObjectNode list(boolean includeCount, ToIntFunction<SegmentDef> count) {
        List<ObjectNode> views = segments.values().stream()
                .map(s -> Views.segment(s, includeCount ? (Integer) count.applyAsInt(s) : null)).toList();
        ObjectNode list = Views.list("segment.list", "segments", views);
        list.putObject("pages");
        return list;
    }

    ObjectNode get(String id, boolean includeCount, ToIntFunction<SegmentDef> count) {
        SegmentDef segment = segments.get(id);
        if (segment == null) {
            throw ApiError.resourceNotFound();
        }
        return Views.segment(segment, includeCount ? count.applyAsInt(segment) : null);
    }

    ObjectNode segmentsOf(StoredContact contact) {
        return Views.list("list", "data",
                segments.values().stream().filter(s -> s.admits(contact, this)).map(s -> Views.segment(s, null))
                        .toList());
    }

    /** The segment's members among the contacts as they are now (not as search shows them: no lag). */
    int members(SegmentDef segment, Collection<StoredContact> contacts) {
        return (int) contacts.stream().filter(c -> !c.archived && segment.admits(c, this)).count();
    }

    @Override
    public Optional<SegmentDef> segment(String id) {
        return Optional.ofNullable(segments.get(id));
    }

    SegmentDef define(String id, String name, String personType, JsonNode filterJson) {
        if (!SegmentDef.USERS.equals(personType) && !SegmentDef.LEADS.equals(personType)) {
            throw new IllegalArgumentException("person_type is \"user\" or \"contact\" (leads), not " + personType);
        }
        if (segments.containsKey(id)) {
            throw new IllegalArgumentException("segment id already used: " + id);
        }
        ContactFilter filter = ContactFilter.parse(filterJson, attributes::customAttribute, false);
        long now = time.get().getEpochSecond();
        SegmentDef segment = new SegmentDef(id, name, personType, filterJson.deepCopy(), filter, now, now);
        segments.put(id, segment);
        return segment;
    }
}
