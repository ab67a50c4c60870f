package dev.contactfunctions.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.PlantedProblem;
import dev.contactfunctions.sandbox.SeedReport;
import dev.contactfunctions.sandbox.SeedSpec;

/**
 * A generated workspace of N contacts (60% users, 40% leads) in S segments: the sandbox's four generated segments
 * (Enterprise, Active leads, Newsletter subscribers, VIP) and S - 4 more, taken in this order from overlapping
 * families: users by country (6), leads by utm_source (5), users by sign-up month (12), leads by landing page (5),
 * users by plan (3), leads by country (6), leads by utm_medium (4), leads by campaign (5). With all 50, a contact is
 * in about four segments, as in a workspace whose segments overlap. Up to 100 with leads by creation month (12),
 * users by country and plan (18) and leads by utm_source and utm_medium (20).
 */
final class BenchWorkspace {

    static final int MAX_SEGMENTS = 100;
    private static final String USERS = "user";
    private static final String LEADS = "contact";

    private BenchWorkspace() {
    }

    record Shape(int contacts, int segments) {
        Shape {
            if (segments < 4 || segments > MAX_SEGMENTS) {
                throw new IllegalArgumentException("between 4 and " + MAX_SEGMENTS + " segments, got " + segments);
            }
        }
    }

    /** Seeds the workspace (directly, not over HTTP) and answers the ids of its segments. */
    static List<String> seed(IntercomSandbox sandbox, Shape shape, long seed) {
        return seed(sandbox, shape, SeedSpec.of(seed, shape.contacts()));
    }

    /** The same, with about one contact in a hundred carrying a problem for the audit to find. */
    static List<String> seedWithPlantedProblems(IntercomSandbox sandbox, Shape shape, long seed) {
        int each = Math.max(1, shape.contacts() / 400);
        return seed(sandbox, shape, SeedSpec.of(seed, shape.contacts())
                .plant(PlantedProblem.LEAD_SHARES_USER_EMAIL, each).plant(PlantedProblem.USERS_SHARE_EMAIL, each)
                .plant(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE, each).plant(PlantedProblem.WRONG_TAG, each));
    }

    private static List<String> seed(IntercomSandbox sandbox, Shape shape, SeedSpec spec) {
        SeedReport report = sandbox.seed(spec);
        List<String> segmentIds = new ArrayList<>(report.segmentIds().values());
        List<String[]> extra = extraSegments(SeedSpec.DEFAULT_BASE_TIME);
        for (int i = 0; i < shape.segments() - 4; i++) {
            String[] s = extra.get(i);
            segmentIds.add(sandbox.defineSegment(s[0], s[1], s[2]));
        }
        return segmentIds;
    }

    private static List<String[]> extraSegments(Instant base) {
        List<String[]> segments = new ArrayList<>();
        for (String country : List.of("Ireland", "France", "United States", "Germany", "Japan", "Brazil")) {
            segments.add(new String[] { "Users in " + country, USERS, eq("location.country", country) });
        }
        for (String source : List.of("google", "newsletter", "linkedin", "partner", "direct")) {
            segments.add(new String[] { "Leads from " + source, LEADS, eq("custom_attributes.utm_source", source) });
        }
        ZonedDateTime month = base.atZone(ZoneOffset.UTC).minusMonths(12);
        for (int m = 0; m < 12; m++, month = month.plusMonths(1)) {
            long from = month.toEpochSecond() - 86_400; // the date operators compare whole days
            long to = month.plusMonths(1).toEpochSecond();
            segments.add(new String[] { "Users signed up " + month.getYear() + "-" + month.getMonthValue(), USERS,
                    "{\"operator\":\"AND\",\"value\":[{\"field\":\"created_at\",\"operator\":\">\",\"value\":" + from
                            + "},{\"field\":\"created_at\",\"operator\":\"<\",\"value\":" + to + "}]}" });
        }
        for (String page : List.of("/pricing", "/features", "/blog/launch", "/demo", "/")) {
            segments.add(new String[] { "Leads landing on " + page, LEADS, eq("custom_attributes.landing_page", page) });
        }
        for (String plan : SeedSpec.PLANS) {
            segments.add(new String[] { "Plan " + plan, USERS, eq("custom_attributes.plan", plan) });
        }
        for (String country : List.of("Ireland", "France", "United States", "Germany", "Japan", "Brazil")) {
            segments.add(new String[] { "Leads in " + country, LEADS, eq("location.country", country) });
        }
        for (String medium : List.of("cpc", "email", "social", "referral")) {
            segments.add(new String[] { "Leads by " + medium, LEADS, eq("custom_attributes.utm_medium", medium) });
        }
        for (int c = 1; c <= 5; c++) {
            segments.add(new String[] { "Campaign " + c, LEADS, eq("custom_attributes.utm_campaign", "campaign-" + c) });
        }
        month = base.atZone(ZoneOffset.UTC).minusMonths(12);
        for (int m = 0; m < 12; m++, month = month.plusMonths(1)) {
            segments.add(new String[] { "Leads created " + month.getYear() + "-" + month.getMonthValue(), LEADS,
                    and(gt("created_at", month.toEpochSecond() - 86_400), lt("created_at", month.plusMonths(1).toEpochSecond())) });
        }
        for (String country : List.of("Ireland", "France", "United States", "Germany", "Japan", "Brazil")) {
            for (String plan : SeedSpec.PLANS) {
                segments.add(new String[] { "Users in " + country + " on " + plan, USERS,
                        and(eq("location.country", country), eq("custom_attributes.plan", plan)) });
            }
        }
        for (String source : List.of("google", "newsletter", "linkedin", "partner", "direct")) {
            for (String medium : List.of("cpc", "email", "social", "referral")) {
                segments.add(new String[] { "Leads from " + source + " by " + medium, LEADS,
                        and(eq("custom_attributes.utm_source", source), eq("custom_attributes.utm_medium", medium)) });
            }
        }
        return segments;
    }

    private static String and(String first, String second) {
        return "{\"operator\":\"AND\",\"value\":[" + first + "," + second + "]}";
    }

    private static String gt(String field, long value) {
        return "{\"field\":\"" + field + "\",\"operator\":\">\",\"value\":" + value + "}";
    }

    private static String lt(String field, long value) {
        return "{\"field\":\"" + field + "\",\"operator\":\"<\",\"value\":" + value + "}";
    }

    private static String eq(String field, String value) {
        return "{\"field\":\"" + field + "\",\"operator\":\"=\",\"value\":\"" + value + "\"}";
    }
}
