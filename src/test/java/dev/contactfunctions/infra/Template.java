package dev.contactfunctions.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A parsed SAM template with the look-ups the checks need. Values keep CloudFormation's long intrinsic form. */
final class Template {

    static final String FUNCTION = "AWS::Serverless::Function";

    private final Map<String, Object> root;

    Template(Map<String, Object> root) {
        this.root = root;
    }

    static Template read(Path file) {
        return new Template(CloudFormationYaml.read(file));
    }

    static Template parse(String yaml) {
        return new Template(CloudFormationYaml.parse(yaml));
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    Map<String, Object> parameters() {
        return section("Parameters");
    }

    Map<String, Object> conditions() {
        return section("Conditions");
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    Map<String, Object> outputs() {
        return section("Outputs");
    }

    Map<String, Object> globalFunction() {
        return map(section("Globals").get("Function"));
    }

    Map<String, Object> resource(String id) {
        return map(resources().get(id));
    }

    String type(String id) {
        return (String) resource(id).get("Type");
    }

    Map<String, Object> properties(String id) {
        return map(resource(id).get("Properties"));
    }

    List<String> resourcesOfType(String type) {
        return resources().keySet().stream().filter(id -> type.equals(type(id))).toList();
    }

    List<String> functions() {
        return resourcesOfType(FUNCTION);
    }

    /** A function property, falling back to Globals.Function as SAM does. */
    Object functionProperty(String function, String property) {
        Object own = properties(function).get(property);
        return own != null ? own : globalFunction().get(property);
    }

    /** The environment a function runs with: Globals first, the function's own variables on top. */
    Map<String, Object> environment(String function) {
        Map<String, Object> variables = new LinkedHashMap<>(variables(globalFunction()));
        variables.putAll(variables(properties(function)));
        return variables;
    }

    Map<String, Object> ownEnvironment(String function) {
        return variables(properties(function));
    }

    Map<String, Object> globalEnvironment() {
        return variables(globalFunction());
    }

    /** The function's events, by name. */
    Map<String, Object> events(String function) {
        return map(properties(function).get("Events"));
    }

    Map<String, Map<String, Object>> eventsOfType(String function, String type) {
        return events(function).entrySet().stream()
                .filter(e -> type.equals(map(e.getValue()).get("Type")))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> map(map(e.getValue()).get("Properties")),
                        (a, b) -> a, LinkedHashMap::new));
    }

    Optional<String> handlerName(String function) {
        Object value = ownEnvironment(function).get("QUARKUS_LAMBDA_HANDLER");
        return value instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** Resources whose properties refer to {@code id} anywhere (Ref, GetAtt or Sub). */
    List<String> resourcesReferring(String id, Predicate<String> typeFilter) {
        return resources().keySet().stream()
                .filter(other -> typeFilter.test(type(other)))
                .filter(other -> Intrinsics.references(resource(other)).contains(id))
                .toList();
    }

    private static Map<String, Object> variables(Map<String, Object> properties) {
        return map(map(properties.get("Environment")).get("Variables"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
