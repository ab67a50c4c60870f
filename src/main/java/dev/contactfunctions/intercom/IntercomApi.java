package dev.contactfunctions.intercom;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.contactfunctions.intercom.model.Contact;
import dev.contactfunctions.intercom.model.ContactPage;
import dev.contactfunctions.intercom.model.ContactRequest;
import dev.contactfunctions.intercom.model.ContactStatus;
import dev.contactfunctions.intercom.model.CreateDataAttributeRequest;
import dev.contactfunctions.intercom.model.DataAttribute;
import dev.contactfunctions.intercom.model.DataAttributeList;
import dev.contactfunctions.intercom.model.Me;
import dev.contactfunctions.intercom.model.MergeRequest;
import dev.contactfunctions.intercom.model.SegmentList;
import dev.contactfunctions.intercom.model.Tag;
import dev.contactfunctions.intercom.model.TagList;
import dev.contactfunctions.intercom.model.TagRequests;

/**
 * Intercom's REST API as far as the functions use it. Package-private: everything else goes through
 * {@link IntercomClient}, which owns fault tolerance, pacing and pagination.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RegisterRestClient(configKey = "intercom")
@RegisterClientHeaders(IntercomHeaders.class)
@RegisterProvider(IntercomCallObserver.class)
@RegisterProvider(IntercomErrorMapper.class)
interface IntercomApi {

    @GET
    @Path("/me")
    Me me();

    @POST
    @Path("/contacts")
    Contact createContact(ContactRequest request);

    @GET
    @Path("/contacts/{id}")
    Contact getContact(@PathParam("id") String id);

    @GET
    @Path("/contacts/find_by_external_id/{external_id}")
    Contact findByExternalId(@PathParam("external_id") String externalId);

    @PUT
    @Path("/contacts/{id}")
    Contact updateContact(@PathParam("id") String id, ContactRequest request);

    @DELETE
    @Path("/contacts/{id}")
    ContactStatus deleteContact(@PathParam("id") String id);

    @POST
    @Path("/contacts/{id}/archive")
    ContactStatus archiveContact(@PathParam("id") String id);

    @POST
    @Path("/contacts/{id}/unarchive")
    ContactStatus unarchiveContact(@PathParam("id") String id);

    @GET
    @Path("/contacts")
    ContactPage listContacts(@QueryParam("per_page") int perPage, @QueryParam("starting_after") String startingAfter);

    @POST
    @Path("/contacts/search")
    ContactPage searchContacts(SearchRequest request);

    @POST
    @Path("/contacts/merge")
    Contact mergeContacts(MergeRequest request);

    @GET
    @Path("/contacts/{id}/segments")
    SegmentList listContactSegments(@PathParam("id") String contactId);

    @GET
    @Path("/segments")
    SegmentList listSegments(@QueryParam("include_count") boolean includeCount);

    @GET
    @Path("/tags")
    TagList listTags();

    @POST
    @Path("/tags")
    Tag createOrUpdateTag(TagRequests.CreateOrUpdate request);

    @POST
    @Path("/contacts/{id}/tags")
    Tag tagContact(@PathParam("id") String contactId, TagRequests.TagContact request);

    @DELETE
    @Path("/contacts/{id}/tags/{tag_id}")
    Tag untagContact(@PathParam("id") String contactId, @PathParam("tag_id") String tagId);

    @GET
    @Path("/data_attributes")
    DataAttributeList listDataAttributes(@QueryParam("model") String model);

    @POST
    @Path("/data_attributes")
    DataAttribute createDataAttribute(CreateDataAttributeRequest request);
}
