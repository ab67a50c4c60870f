package dev.contactfunctions.reliability;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/**
 * A step of the random schedules' {@link Invocation} before each request to Intercom, registered on the REST client by
 * {@link ReliabilityProfile}: a schedule can pause or kill an invocation between two Intercom calls (after a copy,
 * before a merge). Does nothing on a thread no schedule runs (every other test), nor for an attempt the client sends
 * from its own thread to bound it by the invocation's deadline.
 */
public final class IntercomSteps implements ClientRequestFilter {

    @Override
    public void filter(ClientRequestContext request) {
        String[] path = request.getUri().getRawPath().split("/");
        // the resource, not the id: "POST contacts/merge", "PUT contacts/{id}"
        String resource = path.length > 2 ? path[1] + "/" + (path[2].matches("[a-z_]+") ? path[2] : "{id}")
                : path.length > 1 ? path[1] : "";
        Invocation.atStep("intercom." + request.getMethod() + " " + resource);
    }
}
