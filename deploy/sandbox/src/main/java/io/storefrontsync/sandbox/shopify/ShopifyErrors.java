package io.storefrontsync.sandbox.shopify;

import graphql.GraphQLError;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Errors in the shapes Shopify's Admin API sends. Shopify runs graphql-ruby, so static validation
 * errors carry graphql-ruby's messages and camelCase codes ({@code undefinedField},
 * {@code argumentNotAccepted}, …) and a path that starts with the operation ("query", or
 * "query Name"); graphql-java's validation finds the same problems and is translated here.
 */
final class ShopifyErrors {

    static final String INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";
    static final String RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits";

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

    private ShopifyErrors() {
    }

    static Map<String, Object> fromValidation(ValidationError error, String pathRoot) {
        String description = error.getDescription() == null ? error.getMessage() : error.getDescription();
        int colon = description.indexOf(" : ");
        String detail = colon >= 0 ? description.substring(colon + 3) : description;
        List<String> quoted = quoted(detail);
        List<String> queryPath = error.getQueryPath() == null ? List.of() : error.getQueryPath();
        String lastField = queryPath.isEmpty() ? "" : queryPath.get(queryPath.size() - 1);
        Map<String, Object> extensions = new LinkedHashMap<>();
        String message = detail;
        String code;
        ValidationErrorType type = error.getValidationErrorType() instanceof ValidationErrorType t ? t : null;
        if (type == null) {
            code = "validationError";
        } else {
            switch (type) {
                case FieldUndefined -> {
                    code = "undefinedField";
                    String field = quoted.size() > 0 ? quoted.get(0) : lastField;
                    String owner = quoted.size() > 1 ? quoted.get(1) : "";
                    message = "Field '" + field + "' doesn't exist on type '" + owner + "'";
                    extensions.put("typeName", owner);
                    extensions.put("fieldName", field);
                }
                case UnknownArgument -> {
                    code = "argumentNotAccepted";
                    String argument = quoted.isEmpty() ? "" : quoted.get(0);
                    message = "Field '" + lastField + "' doesn't accept argument '" + argument + "'";
                    extensions.put("name", lastField);
                    extensions.put("typeName", "Field");
                    extensions.put("argumentName", argument);
                }
                case MissingFieldArgument, NullValueForNonNullArgument -> {
                    code = "missingRequiredArguments";
                    String argument = quoted.isEmpty() ? "" : quoted.get(0);
                    message = "Field '" + lastField + "' is missing required arguments: " + argument;
                    extensions.put("className", "Field");
                    extensions.put("name", lastField);
                    extensions.put("arguments", argument);
                }
                case WrongType -> code = "argumentLiteralsIncompatible";
                case SubselectionRequired -> {
                    code = "selectionMismatch";
                    String returned = quoted.isEmpty() ? "" : quoted.get(0);
                    message = "Field must have selections (field '" + lastField + "' returns " + returned
                            + " but has no selections. Did you mean '" + lastField + " { ... }'?)";
                    extensions.put("nodeName", "field '" + lastField + "'");
                    extensions.put("typeName", returned);
                }
                case SubselectionNotAllowed -> {
                    code = "selectionMismatch";
                    String returned = quoted.isEmpty() ? "" : quoted.get(0);
                    message = "Selections can't be made on scalars (field '" + lastField + "' returns "
                            + returned + " but has selections [...])";
                    extensions.put("nodeName", "field '" + lastField + "'");
                    extensions.put("typeName", returned);
                }
                case UndefinedVariable -> code = "variableNotDefined";
                case UnusedVariable -> code = "variableNotUsed";
                case VariableTypeMismatch -> code = "variableMismatch";
                case UnknownType -> code = "undefinedType";
                case UndefinedFragment -> code = "undefinedFragment";
                case UnusedFragment -> code = "useAndDefineFragment";
                case UnknownDirective -> code = "undefinedDirective";
                case FieldsConflict -> code = "fieldConflict";
                default -> code = Character.toLowerCase(type.name().charAt(0)) + type.name().substring(1);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.put("locations", locations(error.getLocations()));
        List<Object> path = new ArrayList<>();
        path.add(pathRoot);
        path.addAll(queryPath);
        out.put("path", path);
        extensions.put("code", code);
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("code", code);
        ordered.putAll(extensions);
        out.put("extensions", ordered);
        return out;
    }

    static Map<String, Object> fromSyntax(InvalidSyntaxException e) {
        Map<String, Object> out = new LinkedHashMap<>();
        SourceLocation location = e.getLocation();
        String token = e.getOffendingToken() == null ? "end of file" : "\"" + e.getOffendingToken() + "\"";
        out.put("message", location == null ? "Parse error on " + token
                : "Parse error on " + token + " at [" + location.getLine() + ", " + location.getColumn() + "]");
        out.put("locations", location == null ? List.of() : locations(List.of(location)));
        return out;
    }

    /** Execution errors without graphql-java's {@code classification}, which Shopify does not send. */
    static Map<String, Object> fromExecution(GraphQLError error) {
        Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
        if (spec.get("extensions") instanceof Map<?, ?> extensions) {
            Map<Object, Object> cleaned = new LinkedHashMap<>(extensions);
            cleaned.remove("classification");
            if (cleaned.isEmpty()) {
                spec.remove("extensions");
            } else {
                spec.put("extensions", cleaned);
            }
        }
        return spec;
    }

    static Map<String, Object> throttled() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Throttled");
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", "THROTTLED");
        extensions.put("documentation", RATE_LIMIT_DOCS);
        error.put("extensions", extensions);
        return error;
    }

    static Map<String, Object> maxCostExceeded(int cost, int maxCost) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Query cost is " + cost + ", which exceeds the single query max cost limit (" + maxCost
                + ").\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
                + "cost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations "
                + "should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api "
                + "for usage details.\n");
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", "MAX_COST_EXCEEDED");
        extensions.put("cost", cost);
        extensions.put("maxCost", maxCost);
        extensions.put("documentation", RATE_LIMIT_DOCS);
        error.put("extensions", extensions);
        return error;
    }

    private static List<Map<String, Object>> locations(List<SourceLocation> locations) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (locations != null) {
            for (SourceLocation location : locations) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("line", location.getLine());
                l.put("column", location.getColumn());
                out.add(l);
            }
        }
        return out;
    }

    private static List<String> quoted(String text) {
        List<String> out = new ArrayList<>();
        Matcher matcher = QUOTED.matcher(text);
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }
}
