package dev.contactfunctions.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Intercom endpoints the sandbox serves. Requests are counted, and faults injected, per endpoint; its
 * {@link #key()} ({@code "POST /contacts"}) names it in {@code GET /_sandbox/stats}.
 */
public enum Endpoint {
    ME("GET", "/me"),
    CREATE_CONTACT("POST", "/contacts"),
    LIST_CONTACTS("GET", "/contacts"),
    SEARCH_CONTACTS("POST", "/contacts/search"),
    MERGE_CONTACTS("POST", "/contacts/merge"),
    FIND_BY_EXTERNAL_ID("GET", "/contacts/find_by_external_id/{external_id}"),
    GET_CONTACT("GET", "/contacts/{id}"),
    UPDATE_CONTACT("PUT", "/contacts/{id}"),
    DELETE_CONTACT("DELETE", "/contacts/{id}"),
    ARCHIVE_CONTACT("POST", "/contacts/{id}/archive"),
    UNARCHIVE_CONTACT("POST", "/contacts/{id}/unarchive"),
    LIST_CONTACT_TAGS("GET", "/contacts/{id}/tags"),
    TAG_CONTACT("POST", "/contacts/{id}/tags"),
    UNTAG_CONTACT("DELETE", "/contacts/{id}/tags/{tag_id}"),
    LIST_CONTACT_SEGMENTS("GET", "/contacts/{id}/segments"),
    LIST_SEGMENTS("GET", "/segments"),
    GET_SEGMENT("GET", "/segments/{id}"),
    LIST_TAGS("GET", "/tags"),
    CREATE_OR_UPDATE_TAG("POST", "/tags"),
    GET_TAG("GET", "/tags/{id}"),
    LIST_DATA_ATTRIBUTES("GET", "/data_attributes"),
    CREATE_DATA_ATTRIBUTE("POST", "/data_attributes");

    private final String method;
    private final String template;
    private final String[] segments;

    Endpoint(String method, String template) {
        this.method = method;
        this.template = template;
        this.segments = template.substring(1).split("/");
    }

    public String method() {
        return method;
    }

    public String template() {
        return template;
    }

    /** {@code "POST /contacts/{id}/tags"}. */
    public String key() {
        return method + " " + template;
    }

    /** A request matched to an endpoint, with its path parameters in template order (decoded). */
    record Match(Endpoint endpoint, List<String> params) {
        String param(int index) {
            return params.get(index);
        }
    }

    static Optional<Match> match(String method, String rawPath) {
        String trimmed = rawPath.endsWith("/") && rawPath.length() > 1 ? rawPath.substring(0, rawPath.length() - 1)
                : rawPath;
        String[] parts = trimmed.startsWith("/") ? trimmed.substring(1).split("/", -1) : new String[0];
        for (Endpoint endpoint : values()) {
            if (!endpoint.method.equals(method) || endpoint.segments.length != parts.length) {
                continue;
            }
            List<String> params = new ArrayList<>();
            boolean matches = true;
            for (int i = 0; i < parts.length && matches; i++) {
                String expected = endpoint.segments[i];
                if (expected.startsWith("{")) {
                    // a path keeps "+" literal (URLDecoder would read it as a space)
                    String value = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                    matches = !value.isEmpty();
                    params.add(value);
                } else {
                    matches = expected.equals(parts[i]);
                }
            }
            if (matches) {
                return Optional.of(new Match(endpoint, List.copyOf(params)));
            }
        }
        return Optional.empty();
    }
}
