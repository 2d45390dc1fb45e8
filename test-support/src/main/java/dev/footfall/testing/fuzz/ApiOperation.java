package dev.footfall.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One operation of a served OpenAPI 3 document, with its schemas resolved: what the fuzzer needs to build requests
 * that reach the operation's validation.
 */
public record ApiOperation(String method, String path, List<Param> params, Map<String, JsonNode> bodies,
        boolean bodyRequired, List<String> roles, boolean secured) {

    /** A path, query or header parameter; {@code schema} resolved, {@code example} the documented one or null. */
    public record Param(String name, String in, boolean required, JsonNode schema, String example) {

        String type() {
            return typeOf(schema);
        }

        String format() {
            return schema.path("format").asText("");
        }

        List<String> enumeration() {
            List<String> values = new ArrayList<>();
            JsonNode e = schema.has("items") ? schema.path("items").path("enum") : schema.path("enum");
            e.forEach(v -> values.add(v.asText()));
            return values;
        }

        boolean isArray() {
            return "array".equals(type());
        }

        boolean isInteger() {
            // By schema only: an id documented with a numeric example ("423") is still a string.
            return "integer".equals(schema.has("items") ? typeOf(schema.path("items")) : type());
        }

        /** A timestamp or a date: by schema format, or because the documented example is one. */
        boolean isTemporal() {
            return format().startsWith("date") || (example != null
                    && example.matches("\\d{4}-\\d{2}(-\\d{2}([T ].*)?)?"));
        }
    }

    public String key() {
        return method + " " + path;
    }

    public boolean isWrite() {
        return !Set.of("GET", "HEAD", "OPTIONS").contains(method);
    }

    public List<Param> params(String in) {
        return params.stream().filter(p -> p.in().equals(in)).toList();
    }

    /** The operations of a served document ({@code /q/openapi?format=json}). */
    public static List<ApiOperation> all(JsonNode document) {
        List<ApiOperation> operations = new ArrayList<>();
        JsonNode paths = document.path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext();) {
            Map.Entry<String, JsonNode> path = p.next();
            List<JsonNode> shared = new ArrayList<>();
            path.getValue().path("parameters").forEach(shared::add);
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext();) {
                Map.Entry<String, JsonNode> method = m.next();
                if (method.getKey().equals("parameters") || !method.getValue().isObject()) {
                    continue;
                }
                operations.add(of(document, method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        method.getValue(), shared));
            }
        }
        return operations;
    }

    private static ApiOperation of(JsonNode document, String method, String path, JsonNode op, List<JsonNode> shared) {
        List<Param> params = new ArrayList<>();
        List<JsonNode> declared = new ArrayList<>(shared);
        op.path("parameters").forEach(declared::add);
        for (JsonNode raw : declared) {
            JsonNode p = resolve(document, raw);
            JsonNode schema = resolve(document, p.path("schema"));
            JsonNode documented = example(p) != null ? example(p) : example(schema) != null ? example(schema)
                    : schema.get("default");
            String example = documented == null || documented.isNull() ? null : documented.asText();
            params.add(new Param(p.path("name").asText(), p.path("in").asText(), p.path("required").asBoolean(false),
                    schema, example));
        }
        Map<String, JsonNode> bodies = new LinkedHashMap<>();
        JsonNode requestBody = resolve(document, op.path("requestBody"));
        for (Iterator<Map.Entry<String, JsonNode>> c = requestBody.path("content").fields(); c.hasNext();) {
            Map.Entry<String, JsonNode> content = c.next();
            bodies.put(content.getKey(), content.getValue());
        }
        List<String> roles = new ArrayList<>();
        boolean secured = false;
        for (JsonNode requirement : op.path("security")) {
            for (Iterator<Map.Entry<String, JsonNode>> r = requirement.fields(); r.hasNext();) {
                secured = true;
                r.next().getValue().forEach(role -> roles.add(role.asText()));
            }
        }
        return new ApiOperation(method, path, params, bodies, requestBody.path("required").asBoolean(false),
                roles, secured);
    }

    /** A schema's (or parameter's) example: OpenAPI 3.0's {@code example} or 3.1's first of {@code examples}. */
    public static JsonNode example(JsonNode node) {
        if (node.hasNonNull("example")) {
            return node.get("example");
        }
        JsonNode examples = node.path("examples");
        if (examples.isArray() && !examples.isEmpty()) {
            return examples.get(0);
        }
        return null;
    }

    /** A schema's type; of 3.1's type lists (["string", "null"]) the one that is not null. */
    public static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.asText(schema.has("properties") ? "object" : "string");
    }

    /** Follows a {@code $ref} into the document's components; other nodes are returned as they are. */
    public static JsonNode resolve(JsonNode document, JsonNode node) {
        for (int hops = 0; node != null && node.has("$ref") && hops < 16; hops++) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                return MissingNode.getInstance();
            }
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part.replace("~1", "/").replace("~0", "~"));
            }
            node = target;
        }
        return node == null ? MissingNode.getInstance() : node;
    }
}
