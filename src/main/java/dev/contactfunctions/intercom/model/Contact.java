package dev.contactfunctions.intercom.model;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** An Intercom contact (user or lead). Lenient: every field may be absent, unknown fields are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Contact(
        String id,
        String role,
        @JsonProperty("external_id") String externalId,
        String email,
        String phone,
        String name,
        @JsonProperty("created_at") Long createdAt,
        @JsonProperty("updated_at") Long updatedAt,
        @JsonProperty("signed_up_at") Long signedUpAt,
        @JsonProperty("last_seen_at") Long lastSeenAt,
        @JsonProperty("custom_attributes") Map<String, Object> customAttributes,
        TagRefs tags) {

    public static final String ROLE_USER = "user";
    public static final String ROLE_LEAD = "lead";

    public boolean isUser() {
        return ROLE_USER.equals(role);
    }

    public boolean isLead() {
        return ROLE_LEAD.equals(role);
    }

    public Map<String, Object> customAttributesOrEmpty() {
        return customAttributes == null ? Map.of() : customAttributes;
    }

    /**
     * Whether a custom attribute's value is already the wanted one: numbers by value, whatever their Java type (12,
     * 12L and 12.0 are one value), anything else by {@code equals}.
     */
    public static boolean sameAttributeValue(Object current, Object wanted) {
        if (current instanceof Number a && wanted instanceof Number b) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            } catch (NumberFormatException e) {
                return a.equals(b);
            }
        }
        return Objects.equals(current, wanted);
    }

    public List<TagRef> tagRefs() {
        return tags == null || tags.data() == null ? List.of() : tags.data();
    }

    /** The tags embedded in a contact: Intercom shows up to 10 here, {@code has_more} tells when there are more. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagRefs(List<TagRef> data, @JsonProperty("total_count") Integer totalCount,
            @JsonProperty("has_more") Boolean hasMore) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TagRef(String id, String name) {
    }
}
