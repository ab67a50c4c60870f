package dev.contactfunctions.reliability;

import java.util.HashMap;
import java.util.Map;

/**
 * The reliability settings with the production settle horizon for ambiguous creates ({@code ledger.create-settle},
 * 15 minutes): for tests that run on the sandbox's clock and move it past the horizon.
 */
public class LeadAmbiguityProfile extends ReliabilityProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.remove("ledger.create-settle");
        return overrides;
    }
}
