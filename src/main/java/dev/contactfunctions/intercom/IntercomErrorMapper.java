package dev.contactfunctions.intercom;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Maps every non-2xx answer to a typed {@link IntercomException}; reading an odd body never throws. */
public class IntercomErrorMapper implements ResponseExceptionMapper<IntercomException> {

    @Override
    public IntercomException toThrowable(Response response) {
        String body;
        try {
            body = response.hasEntity() ? response.readEntity(String.class) : null;
        } catch (RuntimeException e) {
            body = null;
        }
        return IntercomErrors.fromResponse(response.getStatus(), body,
                response.getHeaderString("X-RateLimit-Reset"), response.getHeaderString("Link"));
    }

    @Override
    public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }
}
