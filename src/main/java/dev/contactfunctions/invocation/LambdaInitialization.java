package dev.contactfunctions.invocation;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How Lambda is initializing this instance ({@code AWS_LAMBDA_INITIALIZATION_TYPE}: {@code on-demand},
 * {@code provisioned-concurrency} or {@code snap-start}). While it initializes a version for a SnapStart snapshot,
 * nothing unique may be taken (the token, connections, credentials): every restored copy would share it.
 */
@ApplicationScoped
public class LambdaInitialization {

    static final String SNAP_START = "snap-start";

    private final String type;

    public LambdaInitialization(
            @ConfigProperty(name = "AWS_LAMBDA_INITIALIZATION_TYPE", defaultValue = "on-demand") String type) {
        this.type = type;
    }

    /** Whether this initialization ends in a SnapStart snapshot. */
    public boolean forSnapshot() {
        return SNAP_START.equals(type);
    }
}
