package dev.contactfunctions.sandbox;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@link IntercomSandbox#seed(SeedSpec)} put in the workspace.
 *
 * @param userIds the users, planted duplicates included
 * @param leadIds the leads, planted duplicates included
 * @param segmentIds segment name to id
 * @param tagIds tag name to id
 * @param customAttributes the custom contact attributes defined
 * @param planted every planted problem, in planting order
 */
public record SeedReport(List<String> userIds, List<String> leadIds, Map<String, String> segmentIds,
        Map<String, String> tagIds, List<String> customAttributes, List<PlantedIssue> planted) {

    public List<PlantedIssue> planted(PlantedProblem problem) {
        return planted.stream().filter(p -> p.problem() == problem).toList();
    }

    public List<String> contactIds() {
        return Stream.concat(userIds.stream(), leadIds.stream()).toList();
    }
}
