package dev.contactfunctions.audit;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.contactfunctions.intercom.model.WorkspaceApp;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a contact's page is in Intercom's web app: {@code https://<host>/a/apps/<app id>/users/<contact id>/all-conversations},
 * the host being the region's ({@code app.intercom.com}, {@code app.eu.intercom.com}, {@code app.au.intercom.com}). The
 * app id and region come from {@code GET /me}, asked once per run and kept in the checkpoint. A page address is built
 * only from an app id and a contact id of letters and digits (Intercom's are) and a host from this list, so it holds
 * nothing a report would have to escape; any other id gets no address.
 */
@RegisterForReflection
public record ContactPages(String appId, String region) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Map<String, String> HOSTS = Map.of(
            "US", "app.intercom.com",
            "EU", "app.eu.intercom.com",
            "AU", "app.au.intercom.com");

    /** The pages of the workspace {@code GET /me} described; empty when its app id or region is not one we can link to. */
    static Optional<ContactPages> of(Optional<WorkspaceApp> app) {
        return app.filter(a -> a.idCode() != null && ID.matcher(a.idCode()).matches())
                .filter(a -> a.region() != null && HOSTS.containsKey(a.region()))
                .map(a -> new ContactPages(a.idCode(), a.region()));
    }

    /** The contact's page; empty for an id that is not letters and digits, or for pages read from a broken checkpoint. */
    Optional<String> url(String contactId) {
        String host = region == null ? null : HOSTS.get(region);
        if (host == null || appId == null || !ID.matcher(appId).matches() || contactId == null
                || !ID.matcher(contactId).matches()) {
            return Optional.empty();
        }
        return Optional.of("https://" + host + "/a/apps/" + appId + "/users/" + contactId + "/all-conversations");
    }
}
