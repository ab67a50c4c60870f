package dev.contactfunctions.intercom;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.contactfunctions.testsupport.IntercomStubs.CONTACT_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.USER_ID;
import static dev.contactfunctions.testsupport.IntercomStubs.contact;
import static dev.contactfunctions.testsupport.IntercomStubs.error;
import static dev.contactfunctions.testsupport.IntercomStubs.intercom;
import static dev.contactfunctions.testsupport.IntercomStubs.intercomJson;
import static dev.contactfunctions.testsupport.IntercomStubs.json;
import static dev.contactfunctions.testsupport.IntercomStubs.page;
import static dev.contactfunctions.intercom.search.SearchFilter.and;
import static dev.contactfunctions.intercom.search.SearchFilter.field;
import static dev.contactfunctions.intercom.search.SearchFilter.or;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.ContactStatus;
import dev.contactfunctions.intercom.model.DataAttribute;
import dev.contactfunctions.intercom.model.DataType;
import dev.contactfunctions.intercom.model.Segment;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.search.InvalidSearchQueryException;
import dev.contactfunctions.intercom.search.Operator;
import dev.contactfunctions.intercom.search.SearchFilter;
import dev.contactfunctions.intercom.search.SearchQuery;
import dev.contactfunctions.intercom.search.Sort;
import dev.contactfunctions.testsupport.IntercomWireMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every operation sends exactly the request Intercom expects and reads its answer. */
@QuarkusTest
@WithTestResource(IntercomWireMock.class)
class IntercomClientTest extends IntercomClientOverWireMock {

    // ---- contacts

    @Test
    void createsAContactWithOnlyTheGivenFields() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts")))
                .withRequestBody(equalToJson("""
                        {"role":"lead","email":"jane@example.com","name":"Jane Doe",
                         "custom_attributes":{"utm_source":"ads"}}"""))
                .willReturn(json(200, contact(CONTACT_ID, "lead", "jane@example.com"))));

        Contact created = client.createContact(ContactRequest.builder().role(Contact.ROLE_LEAD)
                .email("jane@example.com").name("Jane Doe").customAttributes(Map.of("utm_source", "ads")).build());

        assertThat(created.id()).isEqualTo(CONTACT_ID);
        assertThat(created.isLead()).isTrue();
        assertThat(created.email()).isEqualTo("jane@example.com");
        assertThat(created.customAttributesOrEmpty()).containsEntry("utm_source", "ads");
        assertThat(created.tagRefs()).extracting(Contact.TagRef::id).containsExactly("81");
        wireMock.verify(1, postRequestedFor(urlEqualTo("/contacts")));
    }

    @Test
    void findsAContactById() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID)))
                .willReturn(json(200, contact(CONTACT_ID, "user", "jane@example.com"))));

        assertThat(client.findContact(CONTACT_ID)).map(Contact::id).contains(CONTACT_ID);
    }

    @Test
    void aMissingContactIsEmptyNotAnError() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID)))
                .willReturn(error(404, "not_found", "User Not Found")));

        assertThat(client.findContact(CONTACT_ID)).isEmpty();
        wireMock.verify(1, getRequestedFor(urlEqualTo("/contacts/" + CONTACT_ID)));
    }

    @Test
    void findsAUserByExternalIdWithTheIdEncodedInThePath() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/find_by_external_id/crm%2042%2Fb")))
                .willReturn(json(200, contact(USER_ID, "user", "jane@example.com"))));

        assertThat(client.findUserByExternalId("crm 42/b")).map(Contact::id).contains(USER_ID);
    }

    @Test
    void anUnknownExternalIdIsEmpty() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/find_by_external_id/u-1")))
                .willReturn(error(404, "not_found", "User Not Found")));

        assertThat(client.findUserByExternalId("u-1")).isEmpty();
    }

    @Test
    void updatesOnlyTheFieldsGiven() {
        wireMock.stubFor(intercomJson(put(urlEqualTo("/contacts/" + CONTACT_ID)))
                .withRequestBody(equalToJson("""
                        {"name":"Jane Q. Doe","custom_attributes":{"plan":"pro","seats":3}}"""))
                .willReturn(json(200, contact(CONTACT_ID, "user", "jane@example.com"))));

        Contact updated = client.updateContact(CONTACT_ID, ContactRequest.builder().name("Jane Q. Doe")
                .customAttributes(new java.util.LinkedHashMap<>(Map.of("plan", "pro", "seats", 3))).build());

        assertThat(updated.id()).isEqualTo(CONTACT_ID);
    }

    @Test
    void deletesAContact() {
        wireMock.stubFor(intercom(delete(urlEqualTo("/contacts/" + CONTACT_ID)))
                .willReturn(json(200, """
                        {"type":"contact","id":"%s","external_id":null,"deleted":true}""".formatted(CONTACT_ID))));

        ContactStatus status = client.deleteContact(CONTACT_ID);

        assertThat(status.id()).isEqualTo(CONTACT_ID);
        assertThat(status.deleted()).isTrue();
    }

    @Test
    void archivesAndUnarchivesAContact() {
        wireMock.stubFor(intercom(post(urlEqualTo("/contacts/" + CONTACT_ID + "/archive")))
                .willReturn(json(200, """
                        {"type":"contact","id":"%s","external_id":null,"archived":true}""".formatted(CONTACT_ID))));
        wireMock.stubFor(intercom(post(urlEqualTo("/contacts/" + CONTACT_ID + "/unarchive")))
                .willReturn(json(200, """
                        {"type":"contact","id":"%s","external_id":null,"archived":false}""".formatted(CONTACT_ID))));

        assertThat(client.archiveContact(CONTACT_ID).archived()).isTrue();
        assertThat(client.unarchiveContact(CONTACT_ID).archived()).isFalse();
    }

    @Test
    void mergesALeadIntoAUser() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts/merge")))
                .withRequestBody(equalToJson("""
                        {"from":"%s","into":"%s"}""".formatted(CONTACT_ID, USER_ID)))
                .willReturn(json(200, contact(USER_ID, "user", "jane@example.com"))));

        Contact merged = client.mergeLeadIntoUser(CONTACT_ID, USER_ID);

        assertThat(merged.id()).isEqualTo(USER_ID);
        assertThat(merged.isUser()).isTrue();
    }

    // ---- listing

    @Test
    void listsAPageWithPerPageAndCursorInTheQueryString() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts?per_page=150&starting_after=WzE3MTcwMDAwMDAsIjEiXQ%3D%3D")))
                .willReturn(json(200, page(2, 2, 151, null, "c151"))));

        ContactPage page = client.listContactsPage(150, "WzE3MTcwMDAwMDAsIjEiXQ==");

        assertThat(page.contacts()).extracting(Contact::id).containsExactly("c151");
        assertThat(page.nextCursor()).isEmpty();
    }

    @Test
    void listsEveryContactAcrossPagesWithTheCursorInTheQueryString() {
        stubListPage(null, page(1, 3, 5, "cursor-2", "c1", "c2"));
        stubListPage("cursor-2", page(2, 3, 5, "cursor-3", "c3", "c4"));
        stubListPage("cursor-3", page(3, 3, 5, null, "c5"));

        List<String> ids = client.listAllContacts(2).map(Contact::id).toList();

        assertThat(ids).containsExactly("c1", "c2", "c3", "c4", "c5");
        wireMock.verify(3, getRequestedFor(urlPathEqualTo("/contacts")).withQueryParam("per_page", equalTo("2")));
    }

    @Test
    void listingFetchesPagesOnlyAsTheyAreRead() {
        stubListPage(null, page(1, 3, 5, "cursor-2", "c1", "c2"));
        stubListPage("cursor-2", page(2, 3, 5, "cursor-3", "c3", "c4"));

        assertThat(client.listAllContacts(2).limit(3).map(Contact::id).toList()).containsExactly("c1", "c2", "c3");
        wireMock.verify(2, getRequestedFor(urlPathEqualTo("/contacts")));
    }

    private void stubListPage(String cursor, String body) {
        var request = intercom(get(urlPathEqualTo("/contacts"))).withQueryParam("per_page", equalTo("2"));
        request = cursor == null ? request.withQueryParam("starting_after", absent())
                : request.withQueryParam("starting_after", equalTo(cursor));
        wireMock.stubFor(request.willReturn(json(200, body)));
    }

    @Test
    void aPageSizeOutsideOneTo150IsRefusedBeforeSending() {
        assertThatThrownBy(() -> client.listContactsPage(151, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.listAllContacts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.search(SearchQuery.of(field("role").eq("lead")), 500))
                .isInstanceOf(IllegalArgumentException.class);
        wireMock.verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- search

    @Test
    void searchesEveryPageWithTheCursorInTheBody() {
        SearchQuery query = SearchQuery.of(and(field("email").eq("jane@example.com"), field("role").eq("lead")));
        String filter = """
                "query":{"operator":"AND","value":[{"field":"email","operator":"=","value":"jane@example.com"},
                                                   {"field":"role","operator":"=","value":"lead"}]}""";
        stubSearchPage("{" + filter + ",\"pagination\":{\"per_page\":2}}", page(1, 3, 5, "cursor-2", "l1", "l2"));
        stubSearchPage("{" + filter + ",\"pagination\":{\"per_page\":2,\"starting_after\":\"cursor-2\"}}",
                page(2, 3, 5, "cursor-3", "l3", "l4"));
        stubSearchPage("{" + filter + ",\"pagination\":{\"per_page\":2,\"starting_after\":\"cursor-3\"}}",
                page(3, 3, 5, null, "l5"));

        IntercomClient.ContactSearch search = client.search(query, 2);

        assertThat(search.totalCount()).isEqualTo(5);
        assertThat(search.stream().map(Contact::id).toList()).containsExactly("l1", "l2", "l3", "l4", "l5");
        // the first page is fetched once, for the count and the stream; nothing travels in the query string
        wireMock.verify(3, postRequestedFor(urlEqualTo("/contacts/search")));
    }

    private void stubSearchPage(String body, String answer) {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts/search")))
                .withRequestBody(equalToJson(body))
                .willReturn(json(200, answer)));
    }

    @Test
    void searchesOnePageWithSortAndNestedGroups() {
        SearchQuery query = SearchQuery.of(or(
                and(field("email").eq("a@example.com"), field("role").eq("lead")),
                and(field("external_id").in(List.of("u1", "u2")), field("created_at").gt(1717000000L))))
                .sortedBy("created_at", Sort.Order.ascending);
        stubSearchPage("""
                {"query":{"operator":"OR","value":[
                   {"operator":"AND","value":[{"field":"email","operator":"=","value":"a@example.com"},
                                              {"field":"role","operator":"=","value":"lead"}]},
                   {"operator":"AND","value":[{"field":"external_id","operator":"IN","value":["u1","u2"]},
                                              {"field":"created_at","operator":">","value":1717000000}]}]},
                 "pagination":{"per_page":150,"starting_after":"c-9"},
                 "sort":{"field":"created_at","order":"ascending"}}""", page(4, 4, 451, null, "x1"));

        ContactPage page = client.searchContactsPage(query, 150, "c-9");

        assertThat(page.totalCount()).isEqualTo(451);
        assertThat(page.contacts()).extracting(Contact::id).containsExactly("x1");
    }

    @Test
    void aSearchWithoutResultsIsEmpty() {
        stubSearchPage("""
                {"query":{"field":"email","operator":"=","value":"nobody@example.com"},"pagination":{"per_page":150}}""",
                """
                {"type":"list","data":[],"total_count":0,"pages":{"type":"pages","page":1,"per_page":150,"total_pages":0}}""");

        IntercomClient.ContactSearch search = client.search(SearchQuery.of(field("email").eq("nobody@example.com")));

        assertThat(search.totalCount()).isZero();
        assertThat(search.stream()).isEmpty();
        wireMock.verify(1, postRequestedFor(urlEqualTo("/contacts/search")));
    }

    @Test
    void searchesIntercomWouldRefuseAreNeverSent() {
        List<SearchFilter> sixteen = IntStream.range(0, 16)
                .<SearchFilter> mapToObj(i -> field("email").eq("p" + i + "@example.com")).toList();

        assertThatThrownBy(() -> client.search(SearchQuery.of(and(or(and(field("role").eq("lead")))))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> client.search(SearchQuery.of(or(sixteen))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> client.search(SearchQuery.of(field("email").is(Operator.IN, "a@example.com"))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> client.search(SearchQuery.of(field("created_at").gte(1717000000L))))
                .isInstanceOf(InvalidSearchQueryException.class);
        assertThatThrownBy(() -> client.search(SearchQuery.of(field("owner_id").contains("7"))))
                .isInstanceOf(InvalidSearchQueryException.class);
        wireMock.verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- segments

    @Test
    void listsSegmentsWithTheirCounts() {
        wireMock.stubFor(intercom(get(urlEqualTo("/segments?include_count=true")))
                .willReturn(json(200, """
                        {"type":"segment.list","segments":[
                          {"type":"segment","id":"5d2108a8","name":"Active","created_at":1562446000,
                           "updated_at":1562446100,"person_type":"user","count":42},
                          {"type":"segment","id":"5d2108b9","name":"New leads","person_type":"contact","count":7}],
                         "pages":{}}""")));

        List<Segment> segments = client.listSegments(true);

        assertThat(segments).extracting(Segment::name, Segment::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Active", 42),
                        org.assertj.core.groups.Tuple.tuple("New leads", 7));
    }

    @Test
    void listsAContactsSegments() {
        wireMock.stubFor(intercom(get(urlEqualTo("/contacts/" + CONTACT_ID + "/segments")))
                .willReturn(json(200, """
                        {"type":"list","data":[{"type":"segment","id":"5d2108a8","name":"Active",
                                                "person_type":"user"}]}""")));

        assertThat(client.listContactSegments(CONTACT_ID)).extracting(Segment::id).containsExactly("5d2108a8");
    }

    // ---- tags

    @Test
    void listsTags() {
        wireMock.stubFor(intercom(get(urlEqualTo("/tags")))
                .willReturn(json(200, """
                        {"type":"list","data":[{"type":"tag","id":"81","name":"vip"},
                                               {"type":"tag","id":"82","name":"newsletter"}]}""")));

        assertThat(client.listTags()).extracting(Tag::name).containsExactly("vip", "newsletter");
    }

    @Test
    void createsATagByName() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/tags")))
                .withRequestBody(equalToJson("{\"name\":\"vip\"}"))
                .willReturn(json(200, "{\"type\":\"tag\",\"id\":\"81\",\"name\":\"vip\"}")));

        assertThat(client.createTag("vip")).isEqualTo(new Tag("81", "vip"));
    }

    @Test
    void renamesATag() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/tags")))
                .withRequestBody(equalToJson("{\"name\":\"VIP customers\",\"id\":\"81\"}"))
                .willReturn(json(200, "{\"type\":\"tag\",\"id\":\"81\",\"name\":\"VIP customers\"}")));

        assertThat(client.renameTag("81", "VIP customers").name()).isEqualTo("VIP customers");
    }

    @Test
    void tagsAContactWithTheTagIdAsAString() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/contacts/" + CONTACT_ID + "/tags")))
                .withRequestBody(equalToJson("{\"id\":\"81\"}"))
                .willReturn(json(200, """
                        {"type":"tag","id":"81","name":"vip","applied_at":1717000000,
                         "applied_by":{"type":"admin","id":"991267"}}""")));

        assertThat(client.tagContact(CONTACT_ID, "81")).isEqualTo(new Tag("81", "vip"));
    }

    @Test
    void untagsAContact() {
        wireMock.stubFor(intercom(delete(urlEqualTo("/contacts/" + CONTACT_ID + "/tags/81")))
                .willReturn(json(200, "{\"type\":\"tag\",\"id\":\"81\",\"name\":\"vip\"}")));

        assertThat(client.untagContact(CONTACT_ID, "81").id()).isEqualTo("81");
        wireMock.verify(1, deleteRequestedFor(urlEqualTo("/contacts/" + CONTACT_ID + "/tags/81")));
    }

    // ---- data attributes

    @Test
    void listsTheContactDataAttributes() {
        wireMock.stubFor(intercom(get(urlEqualTo("/data_attributes?model=contact")))
                .willReturn(json(200, """
                        {"type":"list","data":[
                          {"type":"data_attribute","name":"email","full_name":"email","model":"contact",
                           "data_type":"string","api_writable":true,"custom":false},
                          {"type":"data_attribute","id":37,"name":"plan","full_name":"custom_attributes.plan",
                           "model":"contact","data_type":"string","api_writable":true,"custom":true,"archived":false}]}""")));

        List<DataAttribute> attributes = client.listContactDataAttributes();

        assertThat(attributes).extracting(DataAttribute::name).containsExactly("email", "plan");
        assertThat(attributes).filteredOn(DataAttribute::isCustom).extracting(DataAttribute::id).containsExactly(37L);
    }

    @Test
    void createsAContactDataAttribute() {
        wireMock.stubFor(intercomJson(post(urlEqualTo("/data_attributes")))
                .withRequestBody(equalToJson("""
                        {"name":"seats","model":"contact","data_type":"integer","description":"Paid seats"}"""))
                .willReturn(json(200, """
                        {"type":"data_attribute","id":38,"name":"seats","full_name":"custom_attributes.seats",
                         "model":"contact","data_type":"integer","custom":true}""")));

        DataAttribute created = client.createContactDataAttribute("seats", DataType.INTEGER, "Paid seats");

        assertThat(created.fullName()).isEqualTo("custom_attributes.seats");
        assertThat(created.dataType()).isEqualTo("integer");
    }
}
