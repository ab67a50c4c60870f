package dev.contactfunctions.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.PlantedProblem;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.sandbox.SeedReport;
import dev.contactfunctions.sandbox.SeedSpec;

/**
 * The sandbox workspaces the audit is tested on: the sandbox's generated workspace (clean, or with its planted
 * problems), plus the segments a real workspace has ("All users") and one per plan, and on the planted one an invalid
 * email and an inactive lead. The rules the audit runs with are the seed's own: every user has {@code plan} and
 * {@code company_size}; a user of plan P carries {@code plan-P} and nobody else does.
 */
final class AuditSeeds {

    static final Instant BASE = SeedSpec.DEFAULT_BASE_TIME;
    static final SeedSpec CLEAN = SeedSpec.of(7, 600);
    static final SeedSpec PLANTED = CLEAN.plant(PlantedProblem.LEAD_SHARES_USER_EMAIL, 3)
            .plant(PlantedProblem.USERS_SHARE_EMAIL, 2).plant(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE, 2)
            .plant(PlantedProblem.WRONG_TAG, 4);
    static final int INACTIVITY_DAYS = 150;

    private AuditSeeds() {
    }

    record Seeded(SeedReport report, String invalidEmailLead, String inactiveLead) {
    }

    static Seeded seed(IntercomSandbox sandbox, SeedSpec spec) {
        SeedReport report = sandbox.seed(spec);
        sandbox.defineSegment("All users", "user", "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}");
        sandbox.defineSegment("Pro", "user", "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"pro\"}");
        sandbox.defineSegment("Free", "user", "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"free\"}");
        if (spec.planted().isEmpty()) {
            return new Seeded(report, null, null);
        }
        String invalid = sandbox.addContact(SeedContact.lead("ada.lovelace at example.com")
                .createdAt(BASE.minus(Duration.ofDays(10))).lastSeenAt(BASE.minus(Duration.ofDays(1))));
        String inactive = sandbox.addContact(SeedContact.lead("quiet.since.spring@example.org")
                .createdAt(BASE.minus(Duration.ofDays(400))).lastSeenAt(BASE.minus(Duration.ofDays(200))));
        return new Seeded(report, invalid, inactive);
    }

    static AuditOptions options(AuditMode mode, boolean dryRun) {
        return new AuditOptions(mode, dryRun, new AuditOptions.Segments(List.of(), List.of()), rules(),
                new AuditOptions.Caps(50, 200), INACTIVITY_DAYS, 500);
    }

    static AuditRules rules() {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (String plan : SeedSpec.PLANS) {
            tags.put(segmentOfPlan(plan), List.of("plan-" + plan));
        }
        return new AuditRules(Map.of("All users", SeedSpec.REQUIRED_USER_ATTRIBUTES), tags);
    }

    static String segmentOfPlan(String plan) {
        return plan.equals("enterprise") ? "Enterprise" : plan.substring(0, 1).toUpperCase(Locale.ROOT) + plan.substring(1);
    }

    // ---- what the audit must find, computed from the sandbox's state, independently of the audit

    /** Lead id -> the ids of the users with its email. */
    static Map<String, List<String>> unmergedLeads(List<SandboxContact> contacts) {
        Map<String, List<String>> byLead = new TreeMap<>();
        byEmail(contacts).values().forEach(group -> {
            List<String> users = group.stream().filter(SandboxContact::isUser).map(SandboxContact::id).sorted().toList();
            if (!users.isEmpty()) {
                group.stream().filter(SandboxContact::isLead).forEach(lead -> byLead.put(lead.id(), users));
            }
        });
        return byLead;
    }

    static Set<List<String>> usersSharingEmail(List<SandboxContact> contacts) {
        Set<List<String>> shared = new HashSet<>();
        byEmail(contacts).values().forEach(group -> {
            List<String> users = group.stream().filter(SandboxContact::isUser).map(SandboxContact::id).sorted().toList();
            if (users.size() > 1) {
                shared.add(users);
            }
        });
        return shared;
    }

    /** User id -> the required attributes it lacks. */
    static Map<String, List<String>> missingAttributes(List<SandboxContact> contacts) {
        Map<String, List<String>> missing = new TreeMap<>();
        for (SandboxContact c : contacts) {
            if (c.isUser()) {
                List<String> lacks = SeedSpec.REQUIRED_USER_ATTRIBUTES.stream()
                        .filter(a -> c.customAttributes().get(a) == null).toList();
                if (!lacks.isEmpty()) {
                    missing.put(c.id(), lacks);
                }
            }
        }
        return missing;
    }

    /** "plan-P missing|extra" -> contact ids. */
    static Map<String, Set<String>> tagDrift(List<SandboxContact> contacts) {
        Map<String, Set<String>> drift = new TreeMap<>();
        for (String plan : SeedSpec.PLANS) {
            String tag = "plan-" + plan;
            for (SandboxContact c : contacts) {
                boolean member = c.isUser() && plan.equals(c.customAttributes().get("plan"));
                boolean tagged = c.tagNames().contains(tag);
                if (member && !tagged) {
                    drift.computeIfAbsent(tag + " missing", k -> new TreeSet<>()).add(c.id());
                } else if (!member && tagged) {
                    drift.computeIfAbsent(tag + " extra", k -> new TreeSet<>()).add(c.id());
                }
            }
        }
        return drift;
    }

    static Map<String, Set<String>> tagDrift(AuditReport report) {
        Map<String, Set<String>> drift = new TreeMap<>();
        for (AuditReport.TagRule rule : report.findings().tagDrift().rules()) {
            if (!rule.missing().items().isEmpty()) {
                drift.put(rule.tagName() + " missing", new TreeSet<>(rule.missing().items()));
            }
            if (!rule.extra().items().isEmpty()) {
                drift.put(rule.tagName() + " extra", new TreeSet<>(rule.extra().items()));
            }
        }
        return drift;
    }

    private static Map<String, List<SandboxContact>> byEmail(List<SandboxContact> contacts) {
        Map<String, List<SandboxContact>> groups = new TreeMap<>();
        for (SandboxContact c : contacts) {
            if (c.email() != null && !c.email().isBlank() && !c.archived()) {
                groups.computeIfAbsent(c.email().trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(c);
            }
        }
        return groups;
    }
}
