package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.contactfunctions.intercom.IntercomException.Conflict;
import dev.contactfunctions.intercom.IntercomException.Failed;
import dev.contactfunctions.intercom.IntercomException.Gone;
import dev.contactfunctions.intercom.IntercomException.InvalidRequest;
import dev.contactfunctions.intercom.IntercomException.NotFound;
import dev.contactfunctions.intercom.IntercomException.RateLimited;
import dev.contactfunctions.intercom.IntercomException.ServerError;
import dev.contactfunctions.intercom.IntercomException.Unauthorized;

class IntercomErrorsTest {

    private static String errorList(String code, String message) {
        return """
                {"type":"error.list","request_id":"req-1","errors":[{"code":"%s","message":"%s"}]}"""
                .formatted(code, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999", "-99999999999999999", "9223372036854775807", "soon", ""})
    void aRateLimitResetNoClockReadsIsUnknownNotAFailure(String reset) {
        IntercomException error = IntercomErrors.fromResponse(429, errorList("rate_limit_exceeded", "Too many"),
                reset, null);

        assertThat(error).isInstanceOfSatisfying(RateLimited.class,
                limited -> assertThat(limited.resetAt()).isEmpty());
    }

    @Test
    void aConflictNamesTheExistingContact() {
        IntercomException error = IntercomErrors.fromResponse(409,
                errorList("conflict", "A contact matching those details already exists with id=5da6f18e3d7cf967e4582d05"),
                null, null);

        assertThat(error).isInstanceOfSatisfying(Conflict.class, conflict -> {
            assertThat(conflict.existingContactId()).contains("5da6f18e3d7cf967e4582d05");
            assertThat(conflict.archived()).isFalse();
            assertThat(conflict.requestId()).contains("req-1");
            assertThat(conflict.isTransient()).isFalse();
        });
    }

    @Test
    void aConflictWithAnArchivedContactSaysSo() {
        IntercomException error = IntercomErrors.fromResponse(409, errorList("conflict",
                "An archived contact matching those details already exists with id=5da6f18e3d7cf967e4582d05"), null, null);

        assertThat(error).isInstanceOfSatisfying(Conflict.class, conflict -> {
            assertThat(conflict.existingContactId()).contains("5da6f18e3d7cf967e4582d05");
            assertThat(conflict.archived()).isTrue();
        });
    }

    @Test
    void aConflictWithoutAnIdStillMapsToConflict() {
        IntercomException error = IntercomErrors.fromResponse(409,
                errorList("conflict", "Multiple existing users match this email address"), null, null);

        assertThat(error).isInstanceOfSatisfying(Conflict.class,
                conflict -> assertThat(conflict.existingContactId()).isEmpty());
    }

    @Test
    void anUnknownCustomAttributeIsNamed() {
        IntercomException error = IntercomErrors.fromResponse(400, """
                {"type":"error.list","request_id":"req-2","errors":[{"code":"parameter_invalid",
                 "message":"Custom attribute 'isOpenSource' does not exist","field":"custom_attributes"}]}""", null, null);

        assertThat(error).isInstanceOfSatisfying(InvalidRequest.class, invalid -> {
            assertThat(invalid.code()).isEqualTo("parameter_invalid");
            assertThat(invalid.field()).contains("custom_attributes");
            assertThat(invalid.getMessage()).isEqualTo("Custom attribute 'isOpenSource' does not exist");
            assertThat(invalid.unknownCustomAttribute()).contains("isOpenSource");
        });
    }

    @Test
    void otherInvalidRequestsNameNoAttribute() {
        IntercomException error = IntercomErrors.fromResponse(400,
                errorList("parameter_invalid", "invalid tag parameters"), null, null);

        assertThat(error).isInstanceOfSatisfying(InvalidRequest.class,
                invalid -> assertThat(invalid.unknownCustomAttribute()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(ints = { 401, 403 })
    void aRefusedTokenIsUnauthorized(int status) {
        IntercomException error = IntercomErrors.fromResponse(status,
                errorList("unauthorized", "Access Token Invalid"), null, null);

        assertThat(error).isInstanceOf(Unauthorized.class);
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.code()).isEqualTo("unauthorized");
        assertThat(error.isTransient()).isFalse();
    }

    @Test
    void notFoundKeepsIntercomsCodeAndMessage() {
        IntercomException error = IntercomErrors.fromResponse(404, errorList("not_found", "User Not Found"), null, null);

        assertThat(error).isInstanceOf(NotFound.class).hasMessage("User Not Found");
        assertThat(error.code()).isEqualTo("not_found");
    }

    @Test
    void aMergedContactPointsToItsCanonicalContact() {
        IntercomException error = IntercomErrors.fromResponse(410, """
                {"type":"error.list","errors":[{"code":"contact_merged",
                 "message":"This contact has been merged. See the 'Link' header for the canonical contact."}]}""",
                null, "</contacts/6657adc86abd0167d9419d1d>; rel=\"canonical\"");

        assertThat(error).isInstanceOfSatisfying(Gone.class, gone -> {
            assertThat(gone.code()).isEqualTo("contact_merged");
            assertThat(gone.canonicalContactId()).contains("6657adc86abd0167d9419d1d");
            assertThat(gone.requestId()).isEmpty();
        });
    }

    @Test
    void aGoneLinkMayBeAnAbsoluteUrl() {
        assertThat(IntercomErrors.canonicalContactId("<https://api.intercom.io/contacts/abc123>; rel=\"canonical\""))
                .isEqualTo("abc123");
        assertThat(IntercomErrors.canonicalContactId(null)).isNull();
    }

    @Test
    void aRateLimitCarriesTheResetInstant() {
        IntercomException error = IntercomErrors.fromResponse(429,
                errorList("rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds"), "1487332520", null);

        assertThat(error).isInstanceOfSatisfying(RateLimited.class, limited -> {
            assertThat(limited.resetAt()).contains(Instant.ofEpochSecond(1487332520));
            assertThat(limited.isTransient()).isTrue();
        });
    }

    @Test
    void anUnreadableResetHeaderLeavesTheResetUnknown() {
        IntercomException error = IntercomErrors.fromResponse(429, null, "soon", null);

        assertThat(error).isInstanceOfSatisfying(RateLimited.class,
                limited -> assertThat(limited.resetAt()).isEmpty());
    }

    @Test
    void anHtmlGatewayPageBecomesAReadableServerError() {
        IntercomException error = IntercomErrors.fromResponse(502, """
                <html><head><title>502 Bad Gateway</title></head>
                <body><center><h1>502 Bad Gateway</h1></center></body></html>""", null, null);

        assertThat(error).isInstanceOf(ServerError.class);
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.getMessage()).startsWith("HTTP 502: 502 Bad Gateway").doesNotContain("<");
        assertThat(error.isTransient()).isTrue();
    }

    @Test
    void aLongBodyIsCutInTheMessage() {
        IntercomException error = IntercomErrors.fromResponse(500, "x".repeat(5000), null, null);

        assertThat(error.getMessage()).hasSizeLessThan(320);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "{", "[1,2]", "null", "\"text\"", "{\"errors\":[]}", "{\"errors\":\"nope\"}",
            "{\"errors\":[{\"code\":{\"nested\":true}}]}" })
    void anyBodyMapsWithoutThrowing(String body) {
        IntercomException error = IntercomErrors.fromResponse(500, body, null, null);

        assertThat(error).isInstanceOf(ServerError.class);
        assertThat(error.getMessage()).isNotBlank();
    }

    @Test
    void aMissingBodyMapsWithoutThrowing() {
        assertThat(IntercomErrors.fromResponse(404, null, null, null)).isInstanceOf(NotFound.class).hasMessage("HTTP 404");
    }

    @Test
    void unknownStatusesMapGenerically() {
        IntercomException error = IntercomErrors.fromResponse(406,
                errorList("media_type_not_acceptable", "The Accept header should send a media type of application/json"),
                null, null);

        assertThat(error).isInstanceOf(Failed.class);
        assertThat(error.code()).isEqualTo("media_type_not_acceptable");
        assertThat(error.isTransient()).isFalse();
        assertThat(IntercomErrors.fromResponse(408, null, null, null).isTransient()).isTrue();
    }

    @Test
    void aTopLevelErrorObjectIsReadToo() {
        IntercomException error = IntercomErrors.fromResponse(404,
                "{\"code\":\"not_found\",\"message\":\"Resource Not Found\"}", null, null);

        assertThat(error).hasMessage("Resource Not Found");
        assertThat(error.code()).isEqualTo("not_found");
    }
}
