package dev.contactfunctions.sandbox.local;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import dev.contactfunctions.sandbox.SandboxOptions;

/**
 * Points the Intercom client at the sandbox in the local run ({@code %local.} keys, so other tests and production
 * never see them), unless a real Intercom is configured (see {@link LocalRunSetup}). Registered in
 * {@code META-INF/services}, which exists only in the sandbox's resources.
 */
public class LocalSandboxConfigSource implements ConfigSource {

    static final String BASE_URL = "%local.intercom.base-url";
    static final String ACCESS_TOKEN = "%local.intercom.access-token";

    private final Map<String, String> properties;

    public LocalSandboxConfigSource() {
        this(System.getenv(), System.getProperties());
    }

    LocalSandboxConfigSource(Map<String, String> environment, Properties systemProperties) {
        this.properties = LocalRunSetup.usesSandbox(environment, systemProperties)
                ? Map.of(BASE_URL, "http://localhost:${sandbox.port}",
                        ACCESS_TOKEN, SandboxOptions.DEFAULT_TOKEN)
                : Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "intercom-sandbox (local run)";
    }

    /** Below application.properties: anything configured there or in the environment wins. */
    @Override
    public int getOrdinal() {
        return 150;
    }
}
