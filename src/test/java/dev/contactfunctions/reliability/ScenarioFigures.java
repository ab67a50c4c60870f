package dev.contactfunctions.reliability;

import static java.util.stream.Collectors.joining;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The figures of one reliability scenario, printed as one line in the suite's fixed form and added to the total that
 * {@link ReliabilityTotal} prints once all tests have run. Accepted deliveries that were never delivered are lost.
 *
 * <p>Every scenario class of the suite (in this package) fills one of these and calls {@link #print()}:
 * {@code reliability: scenario=<name> search_lag_s=<n> attempted=<n> accepted=<n> delivered=<n> duplicated=<n>
 * lost=<n> dead_lettered=<n> attempts_before_dlq_min=<n|none>}, then the scenario's own {@linkplain #extra extra}
 * figures, if any ({@code drain_s=<n> status_200=<n> ...}); the total adds up the fixed ones only.
 */
public final class ScenarioFigures {

    /**
     * The lines printed so far, kept in a JDK list under a system property: Quarkus loads the test classes in its own
     * class loader, so a static field here would not be the one {@link ReliabilityTotal} reads.
     */
    private static final String PRINTED_KEY = "dev.contactfunctions.reliability.printed";

    final String scenario;
    final long searchLagSeconds;
    public long attempted;
    public long accepted;
    public long delivered;
    public long duplicated;
    public long deadLettered;
    /** The fewest real attempts at Intercom among the dead-lettered deliveries; empty when none was dead-lettered. */
    private OptionalInt attemptsBeforeDlqMin = OptionalInt.empty();
    private final Map<String, Long> extras = new LinkedHashMap<>();

    public ScenarioFigures(String scenario, long searchLagSeconds) {
        this.scenario = scenario;
        this.searchLagSeconds = searchLagSeconds;
    }

    public long lost() {
        return accepted - delivered;
    }

    /** Counts one dead-lettered delivery that had {@code attempts} real attempts at Intercom. */
    public void deadLettered(int attempts) {
        deadLettered++;
        attemptsBeforeDlqMin = OptionalInt.of(attemptsBeforeDlqMin.isPresent()
                ? Math.min(attemptsBeforeDlqMin.getAsInt(), attempts) : attempts);
    }

    /** A figure of this scenario only, printed after the fixed ones in the order given; set again, it is replaced. */
    public ScenarioFigures extra(String name, long value) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("a figure's name is lower case, digits and underscores: " + name);
        }
        extras.put(name, value);
        return this;
    }

    /** Prints the scenario's line and adds it to the total. */
    public void print() {
        printed().add(line());
        System.out.println(line());
    }

    String line() {
        return "reliability: scenario=" + scenario + " search_lag_s=" + searchLagSeconds + " attempted=" + attempted
                + " accepted=" + accepted + " delivered=" + delivered + " duplicated=" + duplicated + " lost="
                + lost() + " dead_lettered=" + deadLettered + " attempts_before_dlq_min="
                + (attemptsBeforeDlqMin.isPresent() ? String.valueOf(attemptsBeforeDlqMin.getAsInt()) : "none")
                + extras.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue()).collect(joining());
    }

    @SuppressWarnings("unchecked")
    private static List<String> printed() {
        return (List<String>) System.getProperties().computeIfAbsent(PRINTED_KEY,
                key -> Collections.synchronizedList(new ArrayList<String>()));
    }

    /** The total line of every scenario printed so far (its lag is the smallest of theirs), or empty when none was. */
    static Optional<String> totalLine() {
        List<String> lines;
        synchronized (printed()) {
            lines = List.copyOf(printed());
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Long> sums = new LinkedHashMap<>();
        long lag = Long.MAX_VALUE;
        OptionalInt attemptsMin = OptionalInt.empty();
        for (String line : lines) {
            for (String pair : line.substring(line.indexOf(' ') + 1).split(" ")) {
                String[] kv = pair.split("=", 2);
                switch (kv[0]) {
                    case "scenario", "lost" -> { }
                    case "search_lag_s" -> lag = Math.min(lag, Long.parseLong(kv[1]));
                    case "attempts_before_dlq_min" -> {
                        if (!kv[1].equals("none")) {
                            int n = Integer.parseInt(kv[1]);
                            attemptsMin = OptionalInt.of(attemptsMin.isPresent() ? Math.min(attemptsMin.getAsInt(), n) : n);
                        }
                    }
                    case "attempted", "accepted", "delivered", "duplicated", "dead_lettered" -> sums.merge(kv[0], Long.parseLong(kv[1]), Long::sum);
                    default -> { } // a scenario's extra figure
                }
            }
        }
        ScenarioFigures total = new ScenarioFigures("total", lag);
        total.attempted = sums.getOrDefault("attempted", 0L);
        total.accepted = sums.getOrDefault("accepted", 0L);
        total.delivered = sums.getOrDefault("delivered", 0L);
        total.duplicated = sums.getOrDefault("duplicated", 0L);
        total.deadLettered = sums.getOrDefault("dead_lettered", 0L);
        total.attemptsBeforeDlqMin = attemptsMin;
        return Optional.of(total.line());
    }
}
