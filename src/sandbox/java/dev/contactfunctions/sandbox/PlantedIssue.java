package dev.contactfunctions.sandbox;

import java.util.List;

/**
 * One planted problem: its kind, the contacts involved (for duplicates the original first), and what exactly is
 * wrong, e.g. {@code "user 6762... has plan=pro but is tagged plan-enterprise"}.
 */
public record PlantedIssue(PlantedProblem problem, List<String> contactIds, String description) {
}
