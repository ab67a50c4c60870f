package dev.contactfunctions.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * The small workspace the local run starts with: three users, four leads, the segments "Enterprise", "Pro", "Active
 * leads" and "Newsletter leads", and string attributes {@code plan}, {@code utm_source}, {@code utm_medium},
 * {@code utm_campaign}, {@code landing_page} (nothing a webhook could need as another type). Something for each
 * function: Ada's user has the id of the committed Intercom notification ({@code infra/events}), whose arrival merges
 * the lead with her email into her; a lead with Grace's email waits for the audit's fix mode; Linus
 * ({@code plan=free}) carries the tag {@code plan-pro} that only the "Pro" segment should carry; Katherine's lead has
 * not been seen for 60 days.
 */
public final class DemoWorkspace {

    public static final String ADA_EMAIL = "ada@example.com";
    public static final String GRACE_EMAIL = "grace@example.com";
    /** The user id {@code infra/events/intercom-notification.json} announces. */
    public static final String ADA_USER_ID = "6630d3c1a8b2f5001f2e4c71";

    private DemoWorkspace() {
    }

    public static void seed(IntercomSandbox sandbox) {
        Instant now = sandbox.clock().instant();
        for (String name : new String[] { "plan", "utm_source", "utm_medium", "utm_campaign", "landing_page" }) {
            sandbox.defineDataAttribute(name, "string");
        }

        sandbox.addContact(SeedContact.user("user-1001", ADA_EMAIL).id(ADA_USER_ID).name("Ada Lovelace")
                .createdAt(now.minus(Duration.ofDays(200))).lastSeenAt(now.minus(Duration.ofDays(2)))
                .attribute("plan", "enterprise").tag("plan-enterprise").tag("customer"));
        sandbox.addContact(SeedContact.user("user-1002", GRACE_EMAIL).name("Grace Hopper")
                .createdAt(now.minus(Duration.ofDays(120))).lastSeenAt(now.minus(Duration.ofDays(10)))
                .attribute("plan", "pro").tag("plan-pro").tag("customer"));
        sandbox.addContact(SeedContact.user("user-1003", "linus@example.com").name("Linus Torvalds")
                .createdAt(now.minus(Duration.ofDays(30))).attribute("plan", "free").tag("plan-pro"));
        sandbox.addContact(SeedContact.lead(ADA_EMAIL).name("Ada (pricing page)")
                .createdAt(now.minus(Duration.ofDays(3))).lastSeenAt(now.minus(Duration.ofDays(1)))
                .attribute("utm_source", "google").attribute("utm_medium", "cpc").attribute("landing_page", "/pricing"));
        sandbox.addContact(SeedContact.lead(GRACE_EMAIL).name("Grace (webinar)")
                .createdAt(now.minus(Duration.ofDays(5))).lastSeenAt(now.minus(Duration.ofDays(4)))
                .attribute("utm_source", "webinar"));
        sandbox.addContact(SeedContact.lead("alan@example.com").name("Alan Turing")
                .createdAt(now.minus(Duration.ofDays(14))).lastSeenAt(now.minus(Duration.ofDays(3)))
                .attribute("utm_source", "newsletter").attribute("utm_medium", "email").tag("newsletter"));
        sandbox.addContact(SeedContact.lead("katherine@example.com").name("Katherine Johnson")
                .createdAt(now.minus(Duration.ofDays(90))).lastSeenAt(now.minus(Duration.ofDays(60))));

        sandbox.defineSegment("Enterprise", "user",
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"enterprise\"}");
        sandbox.defineSegment("Pro", "user",
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"pro\"}");
        sandbox.defineSegment("Active leads", "contact", "{\"field\":\"last_seen_at\",\"operator\":\">\",\"value\":"
                + now.minus(Duration.ofDays(30)).getEpochSecond() + "}");
        sandbox.defineSegment("Newsletter leads", "contact",
                "{\"field\":\"tag_id\",\"operator\":\"=\",\"value\":\"" + sandbox.defineTag("newsletter") + "\"}");
    }
}
