package dev.contactfunctions.leadcapture;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the lead-capture function; each key can be set as an environment variable (LEAD_CAPTURE_...). */
@ConfigMapping(prefix = "lead-capture")
public interface LeadCaptureConfig {

    /**
     * Create custom data attributes that do not exist in the workspace yet, with the data type of the value sent.
     * When false, a delivery naming a missing attribute is answered 422 and nothing is written.
     */
    @WithDefault("true")
    boolean createMissingAttributes();
}
