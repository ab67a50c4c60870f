package dev.contactfunctions.leadcapture;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the lead-capture function; each key can be set as an environment variable (LEAD_CAPTURE_...). */
@ConfigMapping(prefix = "lead-capture")
public interface LeadCaptureConfig {

    /**
     * Create custom data attributes that do not exist in the workspace yet, with the data type of the value sent.
     * When false, a delivery naming a missing attribute is answered 422 and nothing is written. Only attributes a form
     * may write ({@link #allowedAttributes()}) ever get this far.
     */
    @WithDefault("true")
    boolean createMissingAttributes();

    /**
     * The contact attributes a form may write at all (exact names), attribution included: a delivery naming another
     * one is refused (422 {@code attribute_not_allowed}). Default: the seven attribution fields and their first-touch
     * copies ({@link FormPolicy}).
     */
    @WithDefault("utm_source,utm_medium,utm_campaign,utm_term,utm_content,landing_page,referrer,"
            + "first_utm_source,first_utm_medium,first_utm_campaign,first_utm_term,first_utm_content,"
            + "first_landing_page,first_referrer")
    Set<String> allowedAttributes();

    /**
     * The tags a form may attach (names compared case-insensitively, as Intercom does): a delivery naming another one
     * is refused (422 {@code tag_not_allowed}). Default: none.
     */
    Optional<Set<String>> allowedTags();

    /**
     * How a Typeform submission ({@code /webhooks/leads/typeform}) maps to the lead: {@code <lead field>=<field ref>}
     * pairs; what they do not name takes the defaults ({@link FormFieldMapping}).
     */
    Optional<List<String>> typeformFields();

    /** As {@link #typeformFields()}, for Tally: {@code <lead field>=<field key or label>}. */
    Optional<List<String>> tallyFields();

    /** As {@link #typeformFields()}, for Webflow: {@code <lead field>=<field name>}. */
    Optional<List<String>> webflowFields();
}
