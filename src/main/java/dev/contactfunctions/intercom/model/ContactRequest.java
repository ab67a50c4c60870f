package dev.contactfunctions.intercom.model;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /contacts} and {@code PUT /contacts/{id}}. Only non-null fields are sent, which makes an
 * update partial.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContactRequest(
        String role,
        @JsonProperty("external_id") String externalId,
        String email,
        String phone,
        String name,
        @JsonProperty("signed_up_at") Long signedUpAt,
        @JsonProperty("custom_attributes") Map<String, Object> customAttributes) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String role;
        private String externalId;
        private String email;
        private String phone;
        private String name;
        private Long signedUpAt;
        private Map<String, Object> customAttributes;

        public Builder role(String role) {
            this.role = role;
            return this;
        }

        public Builder externalId(String externalId) {
            this.externalId = externalId;
            return this;
        }

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder phone(String phone) {
            this.phone = phone;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder signedUpAt(Long signedUpAt) {
            this.signedUpAt = signedUpAt;
            return this;
        }

        public Builder customAttributes(Map<String, ?> attributes) {
            this.customAttributes = attributes == null || attributes.isEmpty() ? null : new LinkedHashMap<>(attributes);
            return this;
        }

        public ContactRequest build() {
            return new ContactRequest(role, externalId, email, phone, name, signedUpAt, customAttributes);
        }
    }
}
