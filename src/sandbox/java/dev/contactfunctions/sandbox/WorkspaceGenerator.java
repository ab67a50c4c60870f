package dev.contactfunctions.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Builds the workspace a {@link SeedSpec} describes; every random draw comes from the spec's seed. */
final class WorkspaceGenerator {

    private static final long DAY = 86_400;
    private static final String[] FIRST = { "ada", "alan", "grace", "katherine", "linus", "margaret", "edsger",
            "barbara", "donald", "frances", "ken", "radia", "tim", "hedy", "john", "sophie", "dennis", "annie" };
    private static final String[] LAST = { "lovelace", "turing", "hopper", "johnson", "torvalds", "hamilton",
            "dijkstra", "liskov", "knuth", "allen", "thompson", "perlman", "berners", "lamarr", "backus", "wilson",
            "ritchie", "easley" };
    private static final String[] DOMAINS = { "example.com", "example.org", "acme.test", "initech.test",
            "globex.test" };
    private static final String[] COUNTRIES = { "Ireland", "France", "United States", "Germany", "Japan", "Brazil" };
    private static final String[] UTM_SOURCES = { "google", "newsletter", "linkedin", "partner", "direct" };
    private static final String[] UTM_MEDIUMS = { "cpc", "email", "social", "referral" };
    private static final String[] LANDING_PAGES = { "/pricing", "/features", "/blog/launch", "/demo", "/" };
    static final Map<String, String> ATTRIBUTES = attributes();

    private final Workspace workspace;
    private final SeedSpec spec;
    private final SplittableRandom random;
    private final long base;

    private final List<StoredContact> users = new ArrayList<>();
    private final List<StoredContact> leads = new ArrayList<>();
    private final List<PlantedIssue> issues = new ArrayList<>();
    private final Map<String, String> tagIds = new LinkedHashMap<>();

    WorkspaceGenerator(Workspace workspace, SeedSpec spec) {
        this.workspace = workspace;
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.base = spec.baseTime().getEpochSecond();
    }

    private static Map<String, String> attributes() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("plan", "string");
        a.put("company_size", "integer");
        a.put("mrr", "float");
        a.put("newsletter", "boolean");
        a.put("trial_ends_at", "date");
        a.put("utm_source", "string");
        a.put("utm_medium", "string");
        a.put("utm_campaign", "string");
        a.put("landing_page", "string");
        return a;
    }

    SeedReport generate() {
        ATTRIBUTES.forEach((name, type) -> {
            if (workspace.customAttribute(name).isEmpty()) {
                workspace.createDataAttribute(Json.object().put("name", name).put("model", AttributeDef.CONTACT)
                        .put("data_type", type));
            }
        });
        for (String tag : SeedSpec.PLAN_TAGS) {
            tagIds.put(tag, workspace.defineTag(tag).id);
        }
        tagIds.put("newsletter", workspace.defineTag("newsletter").id);
        tagIds.put("vip", workspace.defineTag("vip").id);

        List<StoredContact> all = new ArrayList<>();
        for (int i = 0; i < spec.contacts(); i++) {
            StoredContact contact = random.nextDouble() < spec.userShare() ? user(i) : lead(i);
            (contact.isUser() ? users : leads).add(contact);
            all.add(contact);
        }
        plant(all);
        all.forEach(workspace::insertSeeded);
        Map<String, String> segmentIds = segments();
        return new SeedReport(ids(all, true), ids(all, false), segmentIds, Map.copyOf(tagIds),
                List.copyOf(ATTRIBUTES.keySet()), List.copyOf(issues));
    }

    private StoredContact person(int n, long createdAt) {
        StoredContact c = new StoredContact(id(createdAt));
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        c.name = capitalise(first) + " " + capitalise(last);
        c.email = first + "." + last + "." + n + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
        c.createdAt = createdAt;
        c.updatedAt = createdAt + random.nextLong(Math.max(1, base - createdAt));
        c.lastSeenAt = random.nextInt(10) < 8 ? Math.max(createdAt, base - random.nextLong(90 * DAY)) : null;
        c.country = COUNTRIES[random.nextInt(COUNTRIES.length)];
        return c;
    }

    private StoredContact user(int n) {
        StoredContact c = person(n, base - 1 - random.nextLong(365 * DAY));
        c.role = StoredContact.USER;
        c.externalId = "u" + spec.seed() + "-" + n;
        c.signedUpAt = c.createdAt;
        int draw = random.nextInt(100);
        String plan = draw < 50 ? "free" : draw < 85 ? "pro" : "enterprise";
        c.customAttributes.put("plan", plan);
        c.customAttributes.put("company_size", switch (plan) {
            case "free" -> 1L + random.nextInt(10);
            case "pro" -> 10L + random.nextInt(90);
            default -> 100L + random.nextInt(5000);
        });
        c.customAttributes.put("mrr", plan.equals("free") ? 0.0 : Math.round(random.nextDouble(50, 5000) * 100) / 100.0);
        boolean newsletter = random.nextBoolean();
        c.customAttributes.put("newsletter", newsletter);
        c.tags.put(tagIds.get("plan-" + plan), c.createdAt);
        if (newsletter) {
            c.tags.put(tagIds.get("newsletter"), c.createdAt);
        }
        if (plan.equals("enterprise") && random.nextInt(10) < 3) {
            c.tags.put(tagIds.get("vip"), c.createdAt);
        }
        return c;
    }

    private StoredContact lead(int n) {
        StoredContact c = person(n, base - 1 - random.nextLong(120 * DAY));
        c.role = StoredContact.LEAD;
        String source = UTM_SOURCES[random.nextInt(UTM_SOURCES.length)];
        c.customAttributes.put("utm_source", source);
        c.customAttributes.put("utm_medium", UTM_MEDIUMS[random.nextInt(UTM_MEDIUMS.length)]);
        c.customAttributes.put("utm_campaign", "campaign-" + (1 + random.nextInt(5)));
        c.customAttributes.put("landing_page", LANDING_PAGES[random.nextInt(LANDING_PAGES.length)]);
        if (source.equals("newsletter")) {
            c.customAttributes.put("newsletter", true);
            c.tags.put(tagIds.get("newsletter"), c.createdAt);
        }
        return c;
    }

    // ---- planted problems: each on its own contact, so that each contact shows at most one problem

    private void plant(List<StoredContact> all) {
        int needUsers = spec.planted(PlantedProblem.LEAD_SHARES_USER_EMAIL) + spec.planted(PlantedProblem.USERS_SHARE_EMAIL)
                + spec.planted(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE) + spec.planted(PlantedProblem.WRONG_TAG);
        if (needUsers > users.size()) {
            throw new IllegalArgumentException("Planting " + needUsers + " problems needs as many distinct users, but"
                    + " the seed generated only " + users.size() + ": ask for more contacts");
        }
        List<StoredContact> pool = shuffled(users);
        List<StoredContact> leadPool = shuffled(leads);
        int next = 0;
        for (int k = 0; k < spec.planted(PlantedProblem.LEAD_SHARES_USER_EMAIL); k++) {
            StoredContact user = pool.get(next++);
            StoredContact lead = lead(spec.contacts() + all.size());
            lead.email = user.email;
            lead.name = user.name;
            leads.add(lead);
            all.add(lead);
            issues.add(new PlantedIssue(PlantedProblem.LEAD_SHARES_USER_EMAIL, List.of(user.id, lead.id),
                    "lead " + lead.id + " has the email of user " + user.id + " (" + user.email + ")"));
        }
        for (int k = 0; k < spec.planted(PlantedProblem.USERS_SHARE_EMAIL); k++) {
            StoredContact user = pool.get(next++);
            StoredContact twin = user(spec.contacts() + all.size());
            twin.email = user.email;
            twin.externalId = "u" + spec.seed() + "-dup-" + k;
            users.add(twin);
            all.add(twin);
            issues.add(new PlantedIssue(PlantedProblem.USERS_SHARE_EMAIL, List.of(user.id, twin.id),
                    "users " + user.id + " and " + twin.id + " share the email " + user.email));
        }
        for (int k = 0; k < spec.planted(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE); k++) {
            StoredContact user = pool.get(next++);
            String missing = SeedSpec.REQUIRED_USER_ATTRIBUTES.get(k % SeedSpec.REQUIRED_USER_ATTRIBUTES.size());
            user.customAttributes.remove(missing);
            issues.add(new PlantedIssue(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE, List.of(user.id),
                    "user " + user.id + " has no custom attribute '" + missing + "'"));
        }
        int leadsUsed = 0;
        for (int k = 0; k < spec.planted(PlantedProblem.WRONG_TAG); k++) {
            if (k % 3 == 2 && leadsUsed < leadPool.size()) {
                StoredContact lead = leadPool.get(leadsUsed++);
                String tag = SeedSpec.PLAN_TAGS.get(random.nextInt(SeedSpec.PLAN_TAGS.size()));
                lead.tags.put(tagIds.get(tag), lead.createdAt);
                issues.add(new PlantedIssue(PlantedProblem.WRONG_TAG, List.of(lead.id),
                        "lead " + lead.id + " is tagged " + tag + " (leads carry no plan tag)"));
                continue;
            }
            StoredContact user = pool.get(next++);
            String plan = (String) user.customAttributes.get("plan");
            String other = "plan-" + SeedSpec.PLANS.get((SeedSpec.PLANS.indexOf(plan) + 1 + random.nextInt(2)) % 3);
            if (k % 3 == 0) {
                user.tags.remove(tagIds.get("plan-" + plan));
                user.tags.put(tagIds.get(other), user.createdAt);
                issues.add(new PlantedIssue(PlantedProblem.WRONG_TAG, List.of(user.id),
                        "user " + user.id + " has plan=" + plan + " but is tagged " + other + " instead of plan-" + plan));
            } else {
                user.tags.put(tagIds.get(other), user.createdAt);
                issues.add(new PlantedIssue(PlantedProblem.WRONG_TAG, List.of(user.id),
                        "user " + user.id + " has plan=" + plan + " but is tagged both plan-" + plan + " and " + other));
            }
        }
    }

    private List<StoredContact> shuffled(List<StoredContact> list) {
        List<StoredContact> copy = new ArrayList<>(list);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            StoredContact tmp = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, tmp);
        }
        return copy;
    }

    private Map<String, String> segments() {
        Map<String, String> ids = new LinkedHashMap<>();
        define(ids, "Enterprise", SegmentDef.USERS,
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"enterprise\"}");
        define(ids, "Active leads", SegmentDef.LEADS,
                "{\"field\":\"last_seen_at\",\"operator\":\">\",\"value\":" + (base - 30 * DAY) + "}");
        define(ids, "Newsletter subscribers", SegmentDef.USERS,
                "{\"field\":\"custom_attributes.newsletter\",\"operator\":\"=\",\"value\":true}");
        define(ids, "VIP", SegmentDef.USERS,
                "{\"field\":\"tag_id\",\"operator\":\"=\",\"value\":\"" + tagIds.get("vip") + "\"}");
        return Map.copyOf(ids);
    }

    private void define(Map<String, String> ids, String name, String personType, String filter) {
        String id = id(base);
        workspace.defineSegment(id, name, personType, Json.parse(filter));
        ids.put(name, id);
    }

    private String id(long createdAt) {
        return String.format("%08x%016x", createdAt & 0xffffffffL, random.nextLong());
    }

    private static List<String> ids(List<StoredContact> all, boolean users) {
        return all.stream().filter(c -> c.isUser() == users).map(c -> c.id).toList();
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
