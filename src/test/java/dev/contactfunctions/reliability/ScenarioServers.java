package dev.contactfunctions.reliability;

import java.util.Optional;

import dev.contactfunctions.deferral.ElasticMq;
import dev.contactfunctions.ledger.Dynalite;

/**
 * The real-protocol servers the scenarios run on: dynalite for the ledger, ElasticMQ for the queues. Where
 * {@code .ci/run} runs the suite it starts both servers and sets {@value #REQUIRED_VARIABLE} (or a run sets the system
 * property {@value #REQUIRED}): a scenario class then fails when one is missing rather than falling back to an
 * in-memory stand-in whose conditions are kinder than production's.
 */
final class ScenarioServers {

    /** The system property that says the servers are expected: a missing one fails the scenarios. */
    static final String REQUIRED = "reliability.servers-required";
    /** The same as an environment variable, which {@code .ci/run} exports. */
    static final String REQUIRED_VARIABLE = "RELIABILITY_SERVERS_REQUIRED";

    private ScenarioServers() {
    }

    static boolean required() {
        return Boolean.parseBoolean(System.getProperty(REQUIRED, System.getenv().getOrDefault(REQUIRED_VARIABLE,
                "false")));
    }

    /** dynalite, or a failure: for scenarios that have no in-memory fallback. */
    static Dynalite dynalite() {
        return dynaliteOrFallback().orElseThrow(() -> new IllegalStateException(Dynalite.HOW_TO_GET_IT));
    }

    /**
     * dynalite; outside CI, when it is not installed, empty (the caller falls back to the in-memory ledger and says so);
     * where the servers are required, a failure unless {@code .ci/run} started it ({@code DYNALITE_ENDPOINT}).
     */
    static Optional<Dynalite> dynaliteOrFallback() {
        if (required() && blank(System.getenv("DYNALITE_ENDPOINT"))) {
            throw new IllegalStateException(REQUIRED + " is set but DYNALITE_ENDPOINT is not: the scenarios must run "
                    + "on the dynalite .ci/run starts");
        }
        Optional<Dynalite> dynalite = Dynalite.locate();
        if (dynalite.isEmpty()) {
            System.out.println("reliability: dynalite not found, this class runs on the in-memory ledger ("
                    + Dynalite.HOW_TO_GET_IT + ")");
        }
        return dynalite;
    }

    /** ElasticMQ; where the servers are required, only the one {@code .ci/run} started ({@code ELASTICMQ_ENDPOINT}). */
    static ElasticMq elasticMq() {
        if (required() && blank(System.getenv(ElasticMq.ENDPOINT_VARIABLE))) {
            throw new IllegalStateException(REQUIRED + " is set but " + ElasticMq.ENDPOINT_VARIABLE + " is not: the "
                    + "scenarios must run on the ElasticMQ .ci/run starts");
        }
        return ElasticMq.shared();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
