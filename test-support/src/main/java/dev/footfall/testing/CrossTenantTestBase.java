package dev.footfall.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cross-tenant matrix, generated from the service's own OpenAPI document: tenant A sets up its data, then tenant
 * B's admin calls every documented operation with A's ids, reads first. Every read must answer 404 or an answer that
 * shows none of A's data (none of A's marker strings); every write must answer below 500; and afterwards every read of
 * A's, as A, must answer exactly as before. An operation added later is in the matrix at once; one whose path parameter has no fixture
 * here fails the test until it gets one.
 */
public abstract class CrossTenantTestBase {

    protected static final String TENANT_A = "xt-a";
    protected static final String TENANT_B = "xt-b";
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Creates tenant A's data through the API, as A; returns A's id for every path parameter of the document. */
    protected abstract Map<String, String> setUpTenantA();

    /**
     * Strings that appear only in tenant A's data (its ids and names): an answer to B that contains one leaks A's data.
     * Make A's ids and names distinctive (e.g. "xt-a-lobby-7f3c") so they cannot occur by chance.
     */
    protected abstract Set<String> markers();

    /** Query parameters for an operation ("GET /v1/spaces/{space_id}/counts"), e.g. the required ones. */
    protected Map<String, String> queryParams(String operation) {
        return Map.of();
    }

    /**
     * The body B sends to a write operation, with its content type; null sends the document's first example for the
     * operation's first media type, or {@code {}}. A valid body makes the test stronger: the write must still not
     * reach A's data.
     */
    protected Body body(String operation) {
        return null;
    }

    /** Operations left out, each with the reason (e.g. one that answers a file to download, checked elsewhere). */
    protected Map<String, String> excluded() {
        return Map.of();
    }

    /** Fields that change by themselves between two reads (timestamps of "now"); left out of the comparison. */
    protected Set<String> volatileFields() {
        return Set.of();
    }

    public record Body(String contentType, String content) {
        public static Body json(String content) {
            return new Body("application/json", content);
        }
    }

    private record Operation(String method, String path) {
        String key() {
            return method.toUpperCase() + " " + path;
        }
    }

    @Test
    void anotherTenantsAdminNeitherSeesNorChangesAnythingOfTenantA() throws Exception {
        Map<String, String> ids = setUpTenantA();
        List<Operation> operations = operations();
        assertTrue(operations.size() > 0, "the document lists operations");
        List<Operation> reads = operations.stream().filter(o -> o.method().equals("get")).toList();
        Map<String, String> before = snapshot(reads, ids);

        List<String> leaks = new ArrayList<>();
        // B's reads first, while B has no data of its own that could carry A's ids.
        for (Operation op : reads) {
            Response answer = call(op, ids, TENANT_B);
            int status = answer.statusCode();
            String body = answer.asString();
            if (status >= 400 && status != 404) {
                leaks.add(op.key() + " answered " + status + " (expected 404 or an answer without A's data): " + body);
            } else if (status < 400) {
                markers().stream().filter(body::contains).findFirst().ifPresent(marker -> leaks.add(
                        op.key() + " answered " + status + " with tenant A's \"" + marker + "\": " + body));
            }
        }
        // Then B's writes on A's ids: whatever they answer (an upsert makes B's own object of that id), below 500.
        for (Operation op : operations) {
            if (!op.method().equals("get")) {
                Response answer = call(op, ids, TENANT_B);
                if (answer.statusCode() >= 500) {
                    leaks.add(op.key() + " answered " + answer.statusCode() + ": " + answer.asString());
                }
            }
        }
        assertEquals(List.of(), leaks, "tenant B's admin on tenant A's ids");
        assertEquals(before, snapshot(reads, ids), "tenant A's data after tenant B's calls");
    }

    /** Every read of A's, as A: status and body without the volatile fields. */
    private Map<String, String> snapshot(List<Operation> reads, Map<String, String> ids) throws Exception {
        Map<String, String> result = new TreeMap<>();
        for (Operation op : reads) {
            Response answer = call(op, ids, TENANT_A);
            result.put(op.key(), answer.statusCode() + " " + stable(answer.asString()));
        }
        return result;
    }

    private String stable(String body) throws Exception {
        if (body.isEmpty() || !(body.startsWith("{") || body.startsWith("["))) {
            return body;
        }
        JsonNode node = JSON.readTree(body);
        strip(node);
        return JSON.writeValueAsString(node);
    }

    private void strip(JsonNode node) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (volatileFields().contains(field.getKey())) {
                    fields.remove();
                } else {
                    strip(field.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(this::strip);
        }
    }

    private Response call(Operation op, Map<String, String> ids, String tenant) {
        String path = op.path();
        Matcher m = PATH_PARAM.matcher(path);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String id = ids.get(m.group(1));
            if (id == null) {
                fail(op.key() + ": no fixture for path parameter \"" + m.group(1) + "\"; give tenant A one in "
                        + "setUpTenantA() (and make sure the operation is tenant-scoped)");
            }
            m.appendReplacement(resolved, Matcher.quoteReplacement(id));
        }
        m.appendTail(resolved);
        RequestSpecification request = given().auth().oauth2(Tokens.forRole("admin", tenant)).urlEncodingEnabled(true);
        queryParams(op.key()).forEach(request::queryParam);
        if (!op.method().equals("get") && !op.method().equals("delete")) {
            Body body = body(op.key());
            if (body == null) {
                body = documentedBody(op);
            }
            request.contentType(body.contentType()).body(body.content());
        }
        return request.request(op.method().toUpperCase(), resolved.toString());
    }

    private JsonNode document;

    private JsonNode document() throws Exception {
        if (document == null) {
            document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        }
        return document;
    }

    private List<Operation> operations() throws Exception {
        List<Operation> result = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document().path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/v1/")) {
                continue;
            }
            for (String method : List.of("get", "put", "post", "patch", "delete")) {
                Operation op = new Operation(method, path.getKey());
                if (path.getValue().has(method) && !excluded().containsKey(op.key())) {
                    result.add(op);
                }
            }
        }
        return result;
    }

    private Body documentedBody(Operation op) {
        try {
            JsonNode content = document().path("paths").path(op.path()).path(op.method()).path("requestBody")
                    .path("content");
            Iterator<Map.Entry<String, JsonNode>> types = content.fields();
            if (!types.hasNext()) {
                return Body.json("{}");
            }
            Map.Entry<String, JsonNode> first = types.next();
            JsonNode media = first.getValue();
            JsonNode example = media.path("examples").elements().hasNext()
                    ? media.path("examples").elements().next().path("value") : media.path("example");
            String text = example.isMissingNode() || example.isNull() ? "{}"
                    : example.isTextual() ? example.asText() : JSON.writeValueAsString(example);
            return new Body(first.getKey(), text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A's ids by path parameter, for subclasses that build them up as they go. */
    protected static Map<String, String> ids(String... nameThenId) {
        Map<String, String> result = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameThenId.length; i += 2) {
            result.put(nameThenId[i], nameThenId[i + 1]);
        }
        return result;
    }
}
