package dev.contactfunctions.intercom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds the bearer token, {@code Accept: application/json} and the pinned {@code Intercom-Version} to every call. */
@ApplicationScoped
public class IntercomHeaders implements ClientHeadersFactory {

    private final IntercomCredentials credentials;
    private final IntercomConfig config;

    IntercomHeaders(IntercomCredentials credentials, IntercomConfig config) {
        this.credentials = credentials;
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle("Authorization", "Bearer " + credentials.accessToken());
        headers.putSingle("Accept", "application/json");
        headers.putSingle("Intercom-Version", config.apiVersion());
        return headers;
    }
}
