package dev.contactfunctions.identity;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.identity.IntercomJson.lead;
import static dev.contactfunctions.identity.IntercomJson.page;
import static dev.contactfunctions.identity.IntercomJson.user;
import static dev.contactfunctions.identity.IntercomJson.withAttributes;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * One person in a WireMock Intercom, every call of the identify flow stubbed (at a low priority, so that a test
 * can override one step): user {@link #USER} with external id user-1001, leads {@link #LEAD_OLD} and
 * {@link #LEAD_NEW} with the same email, and {@link #LEAD_GIVEN}, the Messenger's lead, which has no email (a visitor
 * who never gave one).
 */
final class IdentifyScenario {

    static final String USER = "6630d3c1a8b2f5001f2e4c71";
    static final String LEAD_OLD = "65f0a1b2c3d4e5f601234567";
    static final String LEAD_NEW = "65f0a1b2c3d4e5f601234568";
    static final String LEAD_GIVEN = "65f0a1b2c3d4e5f601234569";
    static final String ARCHIVED_USER = "6630d3c1a8b2f5001f2e4c72";
    static final String EMAIL = "ada@example.com";
    static final int LOW = 10;

    private IdentifyScenario() {
    }

    /** The identify event's body with the Messenger's lead id. */
    static ObjectNode eventBody() {
        return LambdaEvents.body(LambdaEvents.IDENTIFY).put("lead_id", LEAD_GIVEN);
    }

    static ObjectNode user() {
        return IntercomJson.user(USER, EMAIL, "user-1001", Map.of("plan", "free"));
    }

    static void stubAll(WireMockServer intercom) {
        ObjectNode user = user();
        ObjectNode copied = withAttributes(user, Map.of("first_source", "google", "company_size", "51-200"));
        stub(intercom, get(urlPathEqualTo("/data_attributes")).withQueryParam("model", equalTo("contact"))
                .willReturn(okJson(IntercomJson.dataAttributes(Map.of("plan", "string", "first_source", "string",
                        "company_size", "string")).toString())));
        stub(intercom, Step.FIND_USER.request().willReturn(okJson(user.toString())));
        String leads = page(
                lead(LEAD_OLD, EMAIL, 1_772_000_000L, Map.of("first_source", "google", "company_size", "11-50")),
                lead(LEAD_NEW, EMAIL, 1_773_000_000L, Map.of("first_source", "ads", "company_size", "51-200")))
                .toString();
        stub(intercom, Step.SEARCH_LEADS.request().willReturn(okJson(leads)));
        // a sign-up's one search of the email: the two leads, no user
        stub(intercom, Step.SEARCH_EMAIL.request().willReturn(okJson(leads)));
        stub(intercom, Step.READ_GIVEN_LEAD.request().willReturn(okJson(
                lead(LEAD_GIVEN, null, 1_773_100_000L, Map.of()).toString())));
        stub(intercom, Step.COPY_ATTRIBUTES.request().willReturn(okJson(copied.toString())));
        stub(intercom, Step.MERGE.request().willReturn(okJson(copied.toString())));
        stub(intercom, Step.APPLY_EVENT.request().willReturn(okJson(withAttributes(copied, Map.of("plan", "enterprise"))
                .put("name", "Ada Lovelace").put("signed_up_at", 1_773_147_600L).toString())));
        stub(intercom, Step.CREATE.request().willReturn(okJson(user.toString())));
        stub(intercom, Step.UNARCHIVE.request().willReturn(okJson("{\"type\":\"contact\",\"id\":\"" + ARCHIVED_USER
                + "\",\"external_id\":\"user-1001\",\"archived\":false}")));
        stub(intercom, Step.READ_CONFLICTING.request().willReturn(okJson(
                IntercomJson.user(ARCHIVED_USER, EMAIL, "user-1001", Map.of()).toString())));
    }

    /** The user is unknown by external_id and by email: the flow creates it. */
    static void stubNewPerson(WireMockServer intercom) {
        intercom.stubFor(Step.FIND_USER.request().atPriority(LOW - 1).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("not_found", "User Not Found").toString())));
    }

    /** As {@link #stubNewPerson}, and the create answers 409 naming an archived user. */
    static void stubArchivedPerson(WireMockServer intercom) {
        stubNewPerson(intercom);
        intercom.stubFor(Step.CREATE.request().atPriority(LOW - 1).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", "application/json")
                .withBody(IntercomJson.error("conflict", "An archived contact matching those details already exists "
                        + "with id=" + ARCHIVED_USER).toString())));
    }

    private static void stub(WireMockServer intercom, MappingBuilder mapping) {
        intercom.stubFor(mapping.atPriority(LOW));
    }

    /** The steps of the flow: how each is requested, and how to recognize its requests. */
    enum Step {
        FIND_USER {
            MappingBuilder request() {
                return get(urlEqualTo("/contacts/find_by_external_id/user-1001"));
            }
        },
        /** A sign-up's search of the email, whatever the role: the user to adopt and the leads to merge. */
        SEARCH_EMAIL {
            MappingBuilder request() {
                return post(urlEqualTo("/contacts/search")).withRequestBody(matchingJsonPath("$.query.field",
                        equalTo("email")));
            }
        },
        CREATE {
            MappingBuilder request() {
                return post(urlEqualTo("/contacts"));
            }
        },
        UNARCHIVE {
            MappingBuilder request() {
                return post(urlEqualTo("/contacts/" + ARCHIVED_USER + "/unarchive"));
            }
        },
        READ_CONFLICTING {
            MappingBuilder request() {
                return get(urlEqualTo("/contacts/" + ARCHIVED_USER));
            }
        },
        SEARCH_LEADS {
            MappingBuilder request() {
                return post(urlEqualTo("/contacts/search")).withRequestBody(matchingJsonPath("$.query.value[1].value",
                        equalTo("lead")));
            }
        },
        READ_GIVEN_LEAD {
            MappingBuilder request() {
                return get(urlEqualTo("/contacts/" + LEAD_GIVEN));
            }
        },
        COPY_ATTRIBUTES {
            MappingBuilder request() {
                return put(urlEqualTo("/contacts/" + USER)).withRequestBody(matchingJsonPath("$.custom_attributes.first_source"));
            }
        },
        MERGE {
            MappingBuilder request() {
                return post(urlEqualTo("/contacts/merge"));
            }
        },
        APPLY_EVENT {
            MappingBuilder request() {
                return put(urlEqualTo("/contacts/" + USER)).withRequestBody(matchingJsonPath("$.name"));
            }
        };

        abstract MappingBuilder request();

        boolean matches(LoggedRequest request) {
            return request().build().getRequest().match(request).isExactMatch();
        }
    }
}
