package dev.contactfunctions.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CloudFormation intrinsic functions in their long form: what they refer to, and what an Fn::If picks. */
final class Intrinsics {

    /** {@code ${Name}} or {@code ${Name.Attribute}} in an Fn::Sub string; {@code ${!Literal}} is not a reference. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    /** A reference found in a template: its kind (Ref, GetAtt, Sub, If, Condition), target and attribute. */
    record Reference(String kind, String target, String attribute) {
    }

    private Intrinsics() {
    }

    /** Every Ref, GetAtt, Sub variable, If condition and Condition reference inside a value, in order. */
    static List<Reference> all(Object value) {
        List<Reference> found = new ArrayList<>();
        walk(value, found::add);
        return found;
    }

    /** Names of the parameters and resources a value refers to (Ref, GetAtt, Sub). */
    static Set<String> references(Object value) {
        Set<String> names = new LinkedHashSet<>();
        for (Reference r : all(value)) {
            if (!r.kind().equals("If") && !r.kind().equals("Condition")) {
                names.add(r.target());
            }
        }
        return names;
    }

    private static void walk(Object value, Consumer<Reference> sink) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                Object argument = only.getValue();
                switch (key) {
                    case "Ref" -> sink.accept(new Reference("Ref", String.valueOf(argument), null));
                    case "Fn::GetAtt" -> {
                        List<Object> parts = Template.list(argument);
                        String target = parts.isEmpty() ? String.valueOf(argument) : String.valueOf(parts.get(0));
                        String attribute = parts.size() > 1 ? String.valueOf(parts.get(1)) : null;
                        sink.accept(new Reference("GetAtt", target, attribute));
                    }
                    case "Fn::Sub" -> {
                        String text;
                        Map<String, Object> variables = Map.of();
                        if (argument instanceof List<?> pair) {
                            text = String.valueOf(pair.get(0));
                            variables = Template.map(pair.size() > 1 ? pair.get(1) : null);
                            walk(variables, sink);
                        } else {
                            text = String.valueOf(argument);
                        }
                        Matcher m = SUB_VARIABLE.matcher(text);
                        while (m.find()) {
                            String[] nameAndAttribute = m.group(1).trim().split("\\.", 2);
                            if (!variables.containsKey(nameAndAttribute[0])) {
                                sink.accept(new Reference("Sub", nameAndAttribute[0],
                                        nameAndAttribute.length > 1 ? nameAndAttribute[1] : null));
                            }
                        }
                    }
                    case "Fn::If" -> {
                        List<Object> parts = Template.list(argument);
                        if (!parts.isEmpty()) {
                            sink.accept(new Reference("If", String.valueOf(parts.get(0)), null));
                            parts.subList(1, parts.size()).forEach(p -> walk(p, sink));
                        }
                    }
                    case "Condition" -> sink.accept(new Reference("Condition", String.valueOf(argument), null));
                    default -> walk(argument, sink);
                }
                return;
            }
            map.values().forEach(v -> walk(v, sink));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> walk(v, sink));
        }
    }

    /**
     * The value with every Fn::If decided by {@code conditions} and every {@code Ref AWS::NoValue} removed (from
     * maps and lists), as CloudFormation would deploy it under those conditions.
     */
    static Object decide(Object value, Map<String, Boolean> conditions) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Fn::If")) {
                List<Object> parts = Template.list(map.get("Fn::If"));
                Boolean holds = conditions.get(String.valueOf(parts.get(0)));
                if (holds == null) {
                    throw new IllegalArgumentException("no value given for condition " + parts.get(0));
                }
                return decide(parts.get(holds ? 1 : 2), conditions);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                Object decided = decide(v, conditions);
                if (!isNoValue(decided)) {
                    result.put(String.valueOf(k), decided);
                }
            });
            return result;
        }
        if (value instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            for (Object item : list) {
                Object decided = decide(item, conditions);
                if (!isNoValue(decided)) {
                    result.add(decided);
                }
            }
            return result;
        }
        return value;
    }

    static boolean isNoValue(Object value) {
        return isRef(value, "AWS::NoValue");
    }

    static boolean isRef(Object value, String name) {
        return value instanceof Map<?, ?> m && m.size() == 1 && name.equals(m.get("Ref"));
    }

    static boolean isGetAtt(Object value, String resource, String attribute) {
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::GetAtt") instanceof List<?> parts) {
            return parts.size() == 2 && resource.equals(parts.get(0)) && attribute.equals(parts.get(1));
        }
        return false;
    }
}
