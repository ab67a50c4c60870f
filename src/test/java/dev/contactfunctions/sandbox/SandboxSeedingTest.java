package dev.contactfunctions.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** {@link SeedSpec}: the same seed gives the same workspace, with exactly the planted problems. */
class SandboxSeedingTest {

    private static final SeedSpec SPEC = SeedSpec.of(42, 60)
            .plant(PlantedProblem.LEAD_SHARES_USER_EMAIL, 3)
            .plant(PlantedProblem.USERS_SHARE_EMAIL, 2)
            .plant(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE, 2)
            .plant(PlantedProblem.WRONG_TAG, 3);

    /** Both workspaces are seeded at the same moment: on the system clock a second could pass between them. */
    private static final Instant SEEDED_AT = Instant.parse("2026-01-05T09:00:00Z");

    private static Seeded seed(SeedSpec spec) {
        try (IntercomSandbox sandbox = IntercomSandbox.start(
                SandboxOptions.builder().clock(MutableClock.at(SEEDED_AT)).build())) {
            SeedReport report = sandbox.seed(spec);
            JsonNode segments = new SandboxHttp(sandbox).get("/segments?include_count=true").json();
            return new Seeded(report, sandbox.contacts(), segments);
        }
    }

    private record Seeded(SeedReport report, List<SandboxContact> contacts, JsonNode segments) {
        Map<String, SandboxContact> byId() {
            return contacts.stream().collect(Collectors.toMap(SandboxContact::id, c -> c));
        }
    }

    @Test
    void theSameSeedGivesTheSameWorkspace() {
        Seeded first = seed(SPEC);
        Seeded second = seed(SPEC);

        assertThat(second.contacts()).isEqualTo(first.contacts());
        assertThat(second.report()).isEqualTo(first.report());
        assertThat(second.segments()).isEqualTo(first.segments());
    }

    @Test
    void anotherSeedGivesAnotherWorkspace() {
        Seeded first = seed(SeedSpec.of(1, 20));
        Seeded second = seed(SeedSpec.of(2, 20));

        assertThat(second.contacts()).isNotEqualTo(first.contacts());
    }

    @Test
    void theReportListsEveryContactAndThePlantedOnesComeOnTop() {
        Seeded seeded = seed(SPEC);

        assertThat(seeded.contacts()).hasSize(60 + 3 + 2);
        assertThat(seeded.report().contactIds()).containsExactlyInAnyOrderElementsOf(
                seeded.contacts().stream().map(SandboxContact::id).toList());
        assertThat(seeded.report().planted()).hasSize(10);
        assertThat(seeded.contacts()).allSatisfy(c -> assertThat(c.id()).matches("[0-9a-f]{24}"));
        assertThat(seeded.report().segmentIds()).containsKeys("Enterprise", "Active leads", "Newsletter subscribers", "VIP");
        assertThat(seeded.report().tagIds()).containsKeys("plan-free", "plan-pro", "plan-enterprise", "vip");
    }

    @Test
    void everyLeadSharingAUsersEmailIsPlantedAndDescribed() {
        Seeded seeded = seed(SPEC);
        Map<String, SandboxContact> byId = seeded.byId();

        List<PlantedIssue> planted = seeded.report().planted(PlantedProblem.LEAD_SHARES_USER_EMAIL);
        List<List<String>> found = seeded.contacts().stream().filter(SandboxContact::isLead)
                .flatMap(lead -> seeded.contacts().stream()
                        .filter(u -> u.isUser() && u.email().equals(lead.email()))
                        .map(u -> List.of(u.id(), lead.id())))
                .toList();

        assertThat(planted).hasSize(3);
        assertThat(found).containsExactlyInAnyOrderElementsOf(planted.stream().map(PlantedIssue::contactIds).toList());
        PlantedIssue first = planted.get(0);
        assertThat(first.description()).contains(first.contactIds().get(1))
                .contains(byId.get(first.contactIds().get(0)).email());
    }

    @Test
    void everyPairOfUsersSharingAnEmailIsPlanted() {
        Seeded seeded = seed(SPEC);

        Map<String, List<String>> usersByEmail = seeded.contacts().stream().filter(SandboxContact::isUser)
                .collect(Collectors.groupingBy(SandboxContact::email,
                        Collectors.mapping(SandboxContact::id, Collectors.toList())));
        List<List<String>> shared = usersByEmail.values().stream().filter(ids -> ids.size() > 1).toList();

        assertThat(shared).hasSize(2);
        assertThat(seeded.report().planted(PlantedProblem.USERS_SHARE_EMAIL)).extracting(PlantedIssue::contactIds)
                .containsExactlyInAnyOrderElementsOf(shared);
    }

    @Test
    void everyUserMissingARequiredAttributeIsPlanted() {
        Seeded seeded = seed(SPEC);

        List<String> missing = seeded.contacts().stream().filter(SandboxContact::isUser)
                .filter(u -> !u.customAttributes().keySet().containsAll(SeedSpec.REQUIRED_USER_ATTRIBUTES))
                .map(SandboxContact::id).toList();

        assertThat(seeded.report().planted(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE))
                .extracting(p -> p.contactIds().get(0)).containsExactlyInAnyOrderElementsOf(missing);
        assertThat(seeded.report().planted(PlantedProblem.MISSING_REQUIRED_ATTRIBUTE))
                .extracting(PlantedIssue::description)
                .anySatisfy(d -> assertThat(d).contains("'plan'"))
                .anySatisfy(d -> assertThat(d).contains("'company_size'"));
    }

    @Test
    void everyContactBreakingTheTagRuleIsPlanted() {
        Seeded seeded = seed(SPEC);

        List<String> broken = seeded.contacts().stream().filter(SandboxContactsRule::breaksTagRule)
                .map(SandboxContact::id).toList();

        assertThat(seeded.report().planted(PlantedProblem.WRONG_TAG)).extracting(p -> p.contactIds().get(0))
                .containsExactlyInAnyOrderElementsOf(broken);
        assertThat(seeded.report().planted(PlantedProblem.WRONG_TAG)).extracting(PlantedIssue::description)
                .anySatisfy(d -> assertThat(d).startsWith("lead "));
    }

    @Test
    void withoutPlantsTheDataFollowsBothRules() {
        Seeded seeded = seed(SeedSpec.of(7, 80));

        assertThat(seeded.report().planted()).isEmpty();
        assertThat(seeded.contacts()).noneMatch(SandboxContactsRule::breaksTagRule);
        assertThat(seeded.contacts()).filteredOn(SandboxContact::isUser).allSatisfy(u -> assertThat(
                u.customAttributes()).containsKeys(SeedSpec.REQUIRED_USER_ATTRIBUTES.toArray(String[]::new)));
        assertThat(seeded.contacts()).extracting(SandboxContact::email).doesNotHaveDuplicates();
    }

    @Test
    void segmentCountsMatchTheirFilters() {
        Seeded seeded = seed(SPEC);

        long enterpriseUsers = seeded.contacts().stream()
                .filter(c -> c.isUser() && "enterprise".equals(c.customAttributes().get("plan"))).count();
        JsonNode enterprise = null;
        for (JsonNode segment : seeded.segments().get("segments")) {
            if (segment.get("name").asText().equals("Enterprise")) {
                enterprise = segment;
            }
        }

        assertThat(enterprise).isNotNull();
        assertThat(enterprise.get("count").asLong()).isEqualTo(enterpriseUsers).isPositive();
    }

    @Test
    void plantingNeedsEnoughUsers() {
        try (IntercomSandbox sandbox = IntercomSandbox.start()) {
            assertThatThrownBy(() -> sandbox.seed(SeedSpec.of(1, 3).plant(PlantedProblem.WRONG_TAG, 10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more contacts");
        }
    }

    /** The seeded tag rule, written from its description in {@link SeedSpec}. */
    static final class SandboxContactsRule {
        static boolean breaksTagRule(SandboxContact contact) {
            List<String> planTags = contact.tagNames().stream().filter(SeedSpec.PLAN_TAGS::contains).toList();
            if (contact.isLead()) {
                return !planTags.isEmpty();
            }
            Object plan = contact.customAttributes().get("plan");
            return plan != null && !planTags.equals(List.of("plan-" + plan));
        }
    }
}
