package dev.contactfunctions.sandbox;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic generated workspace: the same seed and size give the same contacts, ids, tags, segments and
 * attribute values every time (in a fresh sandbox). Apply with {@link IntercomSandbox#seed(SeedSpec)}.
 *
 * <p>
 * The generated data follows two rules, which the planted problems break on purpose:
 * <ul>
 * <li>every user has the custom attributes {@link #REQUIRED_USER_ATTRIBUTES};</li>
 * <li>the tag rule: a user with a {@code plan} carries exactly one plan tag, {@code plan-<plan>}; a lead carries
 * no plan tag ({@link #PLAN_TAGS}).</li>
 * </ul>
 * Emails are unique (apart from planted duplicates); users have external ids {@code u<seed>-<n>}.
 *
 * @param seed the random seed
 * @param contacts how many regular contacts to generate (planted duplicates come on top)
 * @param userShare share of users among them (the rest are leads)
 * @param baseTime "now" of the generated data: timestamps fall in the year before it
 * @param planted how many of each problem to plant
 */
public record SeedSpec(long seed, int contacts, double userShare, Instant baseTime,
        Map<PlantedProblem, Integer> planted) {

    public static final List<String> REQUIRED_USER_ATTRIBUTES = List.of("plan", "company_size");
    public static final List<String> PLANS = List.of("free", "pro", "enterprise");
    public static final List<String> PLAN_TAGS = List.of("plan-free", "plan-pro", "plan-enterprise");
    public static final Instant DEFAULT_BASE_TIME = Instant.parse("2026-01-01T00:00:00Z");

    public SeedSpec {
        if (contacts < 0) {
            throw new IllegalArgumentException("contacts cannot be negative");
        }
        if (userShare < 0 || userShare > 1) {
            throw new IllegalArgumentException("userShare is between 0 and 1");
        }
        planted = Map.copyOf(planted);
    }

    public static SeedSpec of(long seed, int contacts) {
        return new SeedSpec(seed, contacts, 0.6, DEFAULT_BASE_TIME, Map.of());
    }

    public SeedSpec plant(PlantedProblem problem, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count cannot be negative");
        }
        Map<PlantedProblem, Integer> more = new EnumMap<>(PlantedProblem.class);
        more.putAll(planted);
        more.put(problem, count);
        return new SeedSpec(seed, contacts, userShare, baseTime, more);
    }

    public SeedSpec withUserShare(double share) {
        return new SeedSpec(seed, contacts, share, baseTime, planted);
    }

    public SeedSpec withBaseTime(Instant time) {
        return new SeedSpec(seed, contacts, userShare, time, planted);
    }

    public int planted(PlantedProblem problem) {
        return planted.getOrDefault(problem, 0);
    }
}
