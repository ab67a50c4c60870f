package dev.contactfunctions.deferral;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Deliveries and a consumer for the deferral queue tests, which run the queues without a function. */
final class DeferralFixtures {

    static final Instant RECEIVED = Instant.parse("2026-03-01T10:00:00Z");

    private DeferralFixtures() {
    }

    /** The first attempt of a lead delivery of {@code person} ({@code {"email": person}}, grouped by the person). */
    static DeferredDelivery leadDelivery(String person, String deliveryId) {
        return DeferredDelivery.first("lead-capture", JsonNodeFactory.instance.objectNode().put("email", person),
                "email:" + person, deliveryId, RECEIVED);
    }

    /** A consumer whose one processor, of the lead-capture route, answers what {@code process} says. */
    static DeferredDeliveryConsumer leadConsumer(Function<DeferredDelivery, Disposition> process) {
        return new DeferredDeliveryConsumer(List.of(leadProcessor(process)));
    }

    /** A processor of the lead-capture route that answers what {@code process} says. */
    static DeferredDeliveryProcessor leadProcessor(Function<DeferredDelivery, Disposition> process) {
        return new DeferredDeliveryProcessor() {
            @Override
            public String route() {
                return "lead-capture";
            }

            @Override
            public Disposition process(DeferredDelivery delivery) {
                return process.apply(delivery);
            }
        };
    }
}
