package dev.contactfunctions.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.CONTACT_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.error;
import static dev.contactfunctions.testsupport.IntercomStubs.intercom;
import static dev.contactfunctions.testsupport.IntercomStubs.intercomJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.IntercomException.Conflict;
import dev.contactfunctions.intercom.IntercomException.Failed;
import dev.contactfunctions.intercom.IntercomException.Gone;
import dev.contactfunctions.intercom.IntercomException.InvalidRequest;
import dev.contactfunctions.intercom.IntercomException.NotFound;
import dev.contactfunctions.intercom.IntercomException.RateLimited;
import dev.contactfunctions.intercom.IntercomException.ServerError;
import dev.contactfunctions.intercom.IntercomException.Unauthorized;
import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Each failing answer of Intercom surfaces as its typed exception, carrying what the caller needs to act on it. */
@QuarkusTest
@WithTestResource(IntercomWireMock.class)
class IntercomClientFailureTest extends IntercomClientOverWireMock {

    private static final ContactRequest USER = ContactRequest.builder().role(Contact.ROLE_USER).externalId("u-42")
            .email("jane@example.com").build();

    @Test
    void aDuplicateCreateNamesTheExistingContact() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts"))).willReturn(error(409, "conflict",
                "A contact matching those details already exists with id=" + CONTACT_ID)));

        Conflict conflict = catchThrowableOfType(Conflict.class, () -> client.createContact(USER));

        assertThat(conflict.existingContactId()).contains(CONTACT_ID);
        assertThat(conflict.archived()).isFalse();
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.requestId()).contains("b2a2bd5e-0d7c-4d62-9d0d-4e0a9e1a8f4c");
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aDuplicateOfAnArchivedContactSaysItIsArchived() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts"))).willReturn(error(409, "conflict",
                "An archived contact matching those details already exists with id=" + CONTACT_ID)));

        Conflict conflict = catchThrowableOfType(Conflict.class, () -> client.createContact(USER));

        assertThat(conflict.existingContactId()).contains(CONTACT_ID);
        assertThat(conflict.archived()).isTrue();
    }

    @Test
    void anUnknownCustomAttributeIsNamedAndNotRetried() {
        wireMock.stubFor(intercomJson(put(urlEqualTo("/contacts/" + CONTACT_ID))).willReturn(IntercomStubs.json(400, """
                {"type":"error.list","request_id":"r-400","errors":[{"code":"parameter_invalid",
                 "message":"Custom attribute 'utm_campaign' does not exist","field":"custom_attributes"}]}""")));

        InvalidRequest invalid = catchThrowableOfType(InvalidRequest.class, () -> client.updateContact(CONTACT_ID,
                ContactRequest.builder().customAttributes(Map.of("utm_campaign", "spring")).build()));

        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("parameter_invalid");
        assertThat(invalid.field()).contains("custom_attributes");
        assertThat(invalid.unknownCustomAttribute()).contains("utm_campaign");
        assertThat(invalid.isTransient()).isFalse();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aRefusedTokenIsUnauthorizedAndNotRetried() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(error(401, "unauthorized", "Access Token Invalid")));

        Unauthorized unauthorized = catchThrowableOfType(Unauthorized.class, client::listTags);

        assertThat(unauthorized).hasMessage("Access Token Invalid");
        assertThat(unauthorized.getMessage()).doesNotContain(IntercomWireMock.TOKEN);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aMissingContactOnWriteIsNotFound() {
        wireMock.stubFor(intercom(post(urlEqualTo("/contacts/" + CONTACT_ID + "/archive")))
                .willReturn(error(404, "not_found", "User Not Found")));

        NotFound notFound = catchThrowableOfType(NotFound.class, () -> client.archiveContact(CONTACT_ID));

        assertThat(notFound.code()).isEqualTo("not_found");
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aMergedContactIsGoneWithItsCanonicalId() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID))).willReturn(IntercomStubs.json(410, """
                {"type":"error.list","errors":[{"code":"contact_merged",
                 "message":"This contact has been merged. See the 'Link' header for the canonical contact."}]}""")
                .withHeader("Link", "</contacts/6657add46abd0167d9419d22>; rel=\"canonical\"")));

        Gone gone = catchThrowableOfType(Gone.class, () -> client.findContact(CONTACT_ID));

        assertThat(gone.canonicalContactId()).contains("6657add46abd0167d9419d22");
        assertThat(gone.code()).isEqualTo("contact_merged");
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void aRateLimitResettingTooLateFailsFastWithTheResetInstant() {
        Instant reset = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 60);
        wireMock.stubFor(intercom(get(urlEqualTo("/tags"))).willReturn(
                error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Limit", "167")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()))));

        RateLimited limited = catchThrowableOfType(RateLimited.class, client::listTags);

        assertThat(limited.resetAt()).contains(reset);
        assertThat(limited.isTransient()).isTrue();
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void anHtmlGatewayPageIsAServerErrorWithAReadableMessage() {
        wireMock.stubFor(intercom(get(urlEqualTo("/segments?include_count=false"))).willReturn(aResponse()
                .withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>")));

        ServerError error = catchThrowableOfType(ServerError.class, () -> client.listSegments(false));

        assertThat(error.status()).isEqualTo(502);
        assertThat(error.getMessage()).contains("502 Bad Gateway").doesNotContain("<");
        // a read, so retried before giving up: 1 + intercom.retry.max-retries (3)
        assertThat(requestsReceived()).isEqualTo(4);
    }

    @Test
    void anUnexpectedStatusMapsGenerically() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags")))
                .willReturn(error(403, "api_plan_restricted", "Active subscription needed")));
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID + "/segments")))
                .willReturn(error(418, "teapot", "I'm a teapot")));

        assertThat(catchThrowableOfType(Unauthorized.class, client::listTags).status()).isEqualTo(403);
        Failed failed = catchThrowableOfType(Failed.class, () -> client.listContactSegments(CONTACT_ID));
        assertThat(failed.status()).isEqualTo(418);
        assertThat(failed.code()).isEqualTo("teapot");
        assertThat(failed.isTransient()).isFalse();
    }
}
