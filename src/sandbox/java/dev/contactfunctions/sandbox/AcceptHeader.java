package dev.contactfunctions.sandbox;

import java.util.List;
import java.util.Locale;

/**
 * Whether a request's {@code Accept} header lets Intercom answer JSON, read as HTTP reads it (RFC 9110, section
 * 12.5.1): no header accepts anything; otherwise the most specific range that matches {@code application/json}
 * ({@code application/json}, then {@code application/*}, then {@code *}{@code /*}) decides, and a weight of
 * {@code q=0} refuses. Intercom answers {@code *}{@code /*} (what its official SDKs send) and refuses a header that
 * leaves JSON out with 406 {@code media_type_not_acceptable}.
 */
final class AcceptHeader {

    private AcceptHeader() {
    }

    /** {@code values}: every {@code Accept} header line of the request, or null when it has none. */
    static boolean acceptsJson(List<String> values) {
        if (values == null || values.stream().allMatch(String::isBlank)) {
            return true;
        }
        int bestSpecificity = 0;
        boolean bestAccepts = false;
        for (String value : values) {
            for (String range : value.split(",")) {
                String[] parts = range.split(";");
                int specificity = specificityForJson(parts[0].trim().toLowerCase(Locale.ROOT));
                if (specificity > bestSpecificity) {
                    bestSpecificity = specificity;
                    bestAccepts = weight(parts) > 0;
                } else if (specificity == bestSpecificity && specificity > 0) {
                    bestAccepts = bestAccepts || weight(parts) > 0;
                }
            }
        }
        return bestAccepts;
    }

    /** 3 for application/json, 2 for application/*, 1 for the wildcard, 0 for a range that does not match. */
    private static int specificityForJson(String mediaRange) {
        return switch (mediaRange) {
            case "application/json" -> 3;
            case "application/*" -> 2;
            case "*/*" -> 1;
            default -> 0;
        };
    }

    /** The range's {@code q} parameter, 1 when absent; a malformed weight counts as absent. */
    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
