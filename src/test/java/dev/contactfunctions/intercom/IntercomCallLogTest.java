package dev.contactfunctions.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.CONTACT_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.intercom;
import static dev.contactfunctions.testsupport.IntercomStubs.intercomJson;
import static dev.contactfunctions.testsupport.IntercomStubs.json;
import static dev.contactfunctions.intercom.search.SearchFilter.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** One debug line per call, with what an operator needs and nothing a log must not hold. */
@QuarkusTest
@WithTestResource(IntercomWireMock.class)
class IntercomCallLogTest extends IntercomClientOverWireMock {

    private static final Logger CALLS = Logger.getLogger("dev.contactfunctions.intercom.calls");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getParameters() == null ? record.getMessage()
                    : String.format(record.getMessage(), record.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void captureCallLog() {
        previous = CALLS.getLevel();
        CALLS.setLevel(Level.FINE);
        CALLS.addHandler(capture);
    }

    @AfterEach
    void restoreLog() {
        CALLS.removeHandler(capture);
        CALLS.setLevel(previous);
    }

    @Test
    void logsMethodPathTemplateStatusDurationAndRequestId() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/find_by_external_id/jane@example.com")))
                .willReturn(json(200, contact(CONTACT_ID, "user", "jane@example.com"))));

        client.findUserByExternalId("jane@example.com");

        assertThat(lines).singleElement().asString()
                .matches("intercom_call method=GET path=/contacts/find_by_external_id/\\{external_id} status=200 "
                        + "duration_ms=\\d+ request_id=req-200")
                .doesNotContain("jane", IntercomWireMock.TOKEN, CONTACT_ID);
    }

    @Test
    void searchesAreLoggedWithoutTheirFilters() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts/search"))).willReturn(json(200, """
                {"type":"list","data":[],"total_count":0,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":0}}""")));

        client.search(SearchQuery.of(field("email").eq("jane@example.com"))).totalCount();

        assertThat(lines).singleElement().asString()
                .startsWith("intercom_call method=POST path=/contacts/search status=200")
                .doesNotContain("jane", IntercomWireMock.TOKEN);
    }

    @Test
    void aCallWithoutAnswerIsLoggedToo() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        catchThrowable(() -> client.createContact(dev.contactfunctions.intercom.model.ContactRequest.builder()
                .role("lead").email("jane@example.com").build()));

        assertThat(lines).singleElement().asString()
                .startsWith("intercom_call method=POST path=/contacts status=none")
                .doesNotContain("jane", IntercomWireMock.TOKEN);
    }
}
