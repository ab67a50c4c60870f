package dev.contactfunctions.leadcapture;

import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.testsupport.IntercomStubs;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The service without the handler: concurrent deliveries of one person, serialised by the identity claim. */
@QuarkusTest
@TestProfile(LeadCaptureProfile.class)
@WithTestResource(IntercomWireMock.class)
class LeadCaptureServiceTest extends LeadCaptureOverWireMock {

    @Inject
    LeadCaptureService service;

    @BeforeEach
    void workspace() {
        IntercomStubs.stubWorkspace(wireMock);
    }

    @Test
    void concurrentDeliveriesOfOnePersonCreateOneLeadEvenWhileSearchLags() throws Exception {
        String email = LeadCaptureEvents.uniqueEmail("race");
        // search never shows the new lead (lag); the create takes a while, so both deliveries overlap
        wireMock.stubFor(post(urlPathEqualTo("/contacts"))
                .willReturn(ok(contact("ace001", "lead", email, 1773144000)).withFixedDelay(300)));
        wireMock.stubFor(get(urlPathEqualTo("/contacts/ace001")).willReturn(ok(contact("ace001", "lead", email, 1773144000))));
        wireMock.stubFor(put(urlPathEqualTo("/contacts/ace001")).willReturn(ok(contact("ace001", "lead", email, 1773144000))));
        LeadSubmission lead = new LeadSubmission(email, "Race Condition", null, Map.of("utm_source", "google"),
                Map.of(), List.of());
        CountDownLatch start = new CountDownLatch(1);
        Callable<LeadOutcome> delivery = () -> {
            start.await();
            return service.capture(lead, "delivery-" + UUID.randomUUID());
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<LeadOutcome> first = pool.submit(delivery);
            Future<LeadOutcome> second = pool.submit(delivery);
            start.countDown();

            List<LeadOutcome> outcomes = List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));

            assertThat(outcomes).extracting(LeadOutcome::contactId).containsOnly("ace001");
            assertThat(outcomes).extracting(LeadOutcome::outcome)
                    .containsExactlyInAnyOrder(LeadOutcome.Outcome.created, LeadOutcome.Outcome.updated);
            wireMock.verify(exactly(1), postRequestedFor(urlPathEqualTo("/contacts")));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void attributionValuesAlsoFillTheirFirstTouchCopies() {
        LeadSubmission lead = new LeadSubmission("a@example.com", null, null,
                Map.of("utm_source", "google"), Map.of("plan", "pro"), List.of());

        assertThat(LeadCaptureService.attributeValues(lead))
                .containsExactly(Map.entry("plan", "pro"), Map.entry("utm_source", "google"),
                        Map.entry("first_utm_source", "google"));
    }

    @Test
    void numbersCompareByValueWhateverTheirJavaType() {
        assertThat(Contact.sameAttributeValue(12, 12L)).isTrue();
        assertThat(Contact.sameAttributeValue(1.50, 1.5)).isTrue();
        assertThat(Contact.sameAttributeValue(12, "12")).isFalse();
        assertThat(Contact.sameAttributeValue(null, "x")).isFalse();
        assertThat(Contact.sameAttributeValue(Double.POSITIVE_INFINITY, 1.5)).isFalse(); // no BigDecimal for it
    }
}
