package dev.footfall.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Function;

/**
 * Hostile requests for one operation of an OpenAPI document, from a seed. Each request starts from a baseline that
 * would reach the operation's validation (a token of an allowed role, documented or known parameter values, a body
 * built from the request schema) and changes one thing: a parameter, a header, the body, the content type, the
 * credentials, the method. Changes that every service must reject are marked so; the others (unicode ids, extreme
 * but valid dates, ignored headers) may be accepted by a read, and on a write they are sent together with a change
 * that must be rejected, so that no fuzz request can store anything.
 */
public final class HostileRequests {

    /**
     * The limits of what is fuzzed: generated requests stay under them (a service's are above the gateway's, which is
     * in front). {@code controlBytesInHeaders}: also send header values with control characters, which a service's
     * HTTP decoder refuses with an empty 400 before any handler (so only where the gateway is in front).
     */
    public record Limits(int maxRequestLine, int maxHeaderBytes, long maxBodyBytes, boolean controlBytesInHeaders) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "FUZZMARK7f3a";
    private static final List<String> ROLES = List.of("sensor", "reader", "admin");
    private static final String[] INVALID_UTF8 = {"%C3%28", "%FF", "%FE%FF", "%ED%A0%80", "%C0%AF", "%E2%82", "%F8%88%80%80%80", "%80"};
    private static final String[] MALFORMED_PERCENT = {"%", "%G1", "%2", "%zz", "a%"};
    private static final String[] UNICODE = {"caf%C3%A9", "%F0%9F%98%80", "%E2%80%AE", "%EF%BB%BF", "%C2%A0", "%E4%B8%AD"};
    private static final String[] ANY_IDS = {"..", "%2E%2E", ".", "a%2Fb", "%27%20OR%201%3D1--", "%20a%20", "-1", "0",
        "123456789012345678901234567890", "%7B%7D", "a%3Bb%3Dc", "%5C"};
    private static final String[] BAD_DATES = {"99999-12-31T00:00:00Z", "-0001-01-01", "%2B10000-01-01T00:00:00Z",
        "2018-13-45T25:61:61Z", "2018-02-30", "2018-02-24T00:00:00%2B25:00", "not-a-date", "1e10", "2018-02-24T00:00:00"};
    private static final String[] EDGE_DATES = {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01",
        "9999-12-31", "1970-01-01T00:00:00Z", "2018-02-24T00:00:00.123456789%2B14:00"};
    private static final String[] HUGE_INTEGERS = {"123456789012345678901234567890", "1e400", "9223372036854775808",
        "-9223372036854775809", "NaN", "0x10", "1.5", "Infinity"};
    private static final String[] EDGE_INTEGERS = {"-1", "0", "-9223372036854775808", "2147483648", "%2B1", "007"};
    private static final String[] WRONG_TYPES = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=fuzz", "image/png", "application/octet-stream", "text/csv"};
    private static final String[] HUGE_NUMBERS = {"1e400", "-1e400", "123456789012345678901234567890", "1e-400",
        "9223372036854775808", "1" + "0".repeat(5000)};

    private final JsonNode document;
    private final ApiOperation op;
    private final Set<String> methodsOfPath;
    private final Map<String, String> known;
    private final Function<String, String> tokenForRole;
    private final String expiredToken;
    private final Limits limits;
    private final List<Mutation> mustReject = new ArrayList<>();
    private final List<Mutation> mayAccept = new ArrayList<>();

    /** One change to a baseline request. */
    private record Mutation(String kind, boolean mustReject, Change change) {
    }

    @FunctionalInterface
    private interface Change {
        void apply(Draft draft, SplittableRandom random);
    }

    /**
     * @param methodsOfPath every method the document lists for the operation's path (a different one must be a 405)
     * @param known valid values by parameter name (ids of fixtures), used instead of examples; query parameters named
     *        here are sent even when optional
     * @param tokenForRole a valid token of the role
     * @param expiredToken a token past its expiry and the services' clock skew, or null to send none
     */
    public HostileRequests(JsonNode document, ApiOperation op, Set<String> methodsOfPath, Map<String, String> known,
            Function<String, String> tokenForRole, String expiredToken, Limits limits) {
        this.document = document;
        this.op = op;
        this.methodsOfPath = methodsOfPath;
        this.known = known;
        this.tokenForRole = tokenForRole;
        this.expiredToken = expiredToken;
        this.limits = limits;
        collect();
    }

    /** How many kinds of change there are for this operation (each is sent once before any is repeated). */
    public int kinds() {
        return mustReject.size() + mayAccept.size();
    }

    /** {@code count} requests from {@code seed}: every kind once (as far as count goes), then kinds at random. */
    public List<FuzzRequest> generate(long seed, int count) {
        SplittableRandom random = new SplittableRandom(seed ^ (long) op.key().hashCode() * 0x9E3779B97F4A7C15L);
        List<Mutation> all = new ArrayList<>(mustReject);
        all.addAll(mayAccept);
        List<FuzzRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Mutation m = i < all.size() ? all.get(i) : all.get(random.nextInt(all.size()));
            requests.add(build(m, random));
        }
        return requests;
    }

    private FuzzRequest build(Mutation m, SplittableRandom random) {
        Draft draft = baseline(random);
        m.change().apply(draft, random);
        String kind = m.kind();
        boolean reject = m.mustReject();
        if (!reject && op.isWrite()) {
            // A write that might accept this change must not store it: add a change it must reject.
            List<Mutation> carriers = mustReject.stream().filter(c -> !c.kind().startsWith("method.")
                    && !c.kind().startsWith("path.unknown")).toList();
            if (carriers.isEmpty()) {
                carriers = mustReject;
            }
            Mutation carrier = carriers.get(random.nextInt(carriers.size()));
            carrier.change().apply(draft, random);
            kind = kind + " + " + carrier.kind();
            reject = true;
        }
        return draft.render(op.key(), kind, reject, limits);
    }

    // ---- The baseline ----

    /** A request as it would pass: what each change starts from. */
    static final class Draft {
        String method;
        String template;
        final Map<String, String> path = new LinkedHashMap<>();
        final List<String[]> query = new ArrayList<>();
        String authorization;
        final List<RawHttp.Header> headers = new ArrayList<>();
        String contentType;
        String mediaType;
        JsonNode json;
        byte[] body;
        String suffix = "";

        FuzzRequest render(String operation, String kind, boolean mustReject, Limits limits) {
            // Over-long values are shortened to what the service reads (the gateway's smaller limit is smoke's).
            int room = limits.maxRequestLine() - method.length() - 20;
            String line = target();
            while (line.length() > room) {
                shortenLongest(line.length() - room);
                line = target();
            }
            List<RawHttp.Header> all = new ArrayList<>();
            if (authorization != null) {
                all.add(RawHttp.Header.of("Authorization", authorization));
            }
            all.addAll(headers);
            if (contentType != null) {
                all.add(RawHttp.Header.of("Content-Type", contentType));
            }
            return new FuzzRequest(operation, kind, mustReject, method, line, all, body);
        }

        private String target() {
            String target = template;
            for (Map.Entry<String, String> p : path.entrySet()) {
                target = target.replace("{" + p.getKey() + "}", p.getValue());
            }
            StringBuilder t = new StringBuilder(target).append(suffix);
            for (int i = 0; i < query.size(); i++) {
                t.append(i == 0 ? '?' : '&').append(query.get(i)[0]);
                if (query.get(i)[1] != null) {
                    t.append('=').append(query.get(i)[1]);
                }
            }
            return t.toString();
        }

        /** Cuts {@code excess} characters (and a few more) off the longest path or query value, never inside %XX. */
        private void shortenLongest(int excess) {
            String longestPath = path.entrySet().stream().max(Map.Entry.comparingByValue(
                    java.util.Comparator.comparingInt(String::length))).map(Map.Entry::getKey).orElse(null);
            String[] longestQuery = query.stream().filter(q -> q[1] != null)
                    .max(java.util.Comparator.comparingInt(q -> q[1].length())).orElse(null);
            int pathLength = longestPath == null ? -1 : path.get(longestPath).length();
            int queryLength = longestQuery == null ? -1 : longestQuery[1].length();
            if (pathLength < 0 && queryLength < 0) {
                throw new IllegalStateException("request line too long without values: " + target());
            }
            if (pathLength >= queryLength) {
                path.put(longestPath, cut(path.get(longestPath), excess + 16));
            } else {
                longestQuery[1] = cut(longestQuery[1], excess + 16);
            }
        }

        private static String cut(String value, int by) {
            String cut = value.substring(0, Math.max(0, value.length() - by));
            int percent = cut.lastIndexOf('%');
            return percent >= 0 && percent > cut.length() - 3 ? cut.substring(0, percent) : cut;
        }
    }

    private Draft baseline(SplittableRandom random) {
        Draft d = new Draft();
        d.method = op.method();
        d.template = op.path();
        for (ApiOperation.Param p : op.params("path")) {
            d.path.put(p.name(), encode(valueFor(p, random)));
        }
        for (ApiOperation.Param p : op.params("query")) {
            if (p.required() || known.containsKey(p.name())) {
                d.query.add(new String[] {encode(p.name()), encode(valueFor(p, random))});
            }
        }
        if (op.secured()) {
            d.authorization = "Bearer " + tokenForRole.apply(role());
        }
        if (!op.bodies().isEmpty()) {
            List<String> types = new ArrayList<>(op.bodies().keySet());
            d.mediaType = types.get(random.nextInt(types.size()));
            d.contentType = d.mediaType;
            JsonNode content = op.bodies().get(d.mediaType);
            if (isJson(d.mediaType)) {
                d.json = exampleBody(content, random);
                d.body = serialize(d.mediaType, d.json);
            } else {
                d.body = textExample(content).getBytes(StandardCharsets.UTF_8);
            }
        }
        return d;
    }

    private String role() {
        if (op.roles().isEmpty() || op.roles().contains("admin")) {
            return "admin";
        }
        return op.roles().get(0);
    }

    private String valueFor(ApiOperation.Param p, SplittableRandom random) {
        if (known.containsKey(p.name())) {
            return known.get(p.name());
        }
        if (p.example() != null && !p.example().isEmpty()) {
            return p.example();
        }
        if (!p.enumeration().isEmpty()) {
            return p.enumeration().get(0);
        }
        if ("uuid".equals(p.format())) {
            return new UUID(random.nextLong(), random.nextLong()).toString();
        }
        return p.isInteger() ? "1" : "fuzz-" + Integer.toString(random.nextInt(1000));
    }

    private JsonNode exampleBody(JsonNode content, SplittableRandom random) {
        JsonNode example = content.get("example");
        if (example == null) {
            for (JsonNode e : content.path("examples")) {
                example = e.get("value");
                break;
            }
        }
        if (example != null && example.isTextual()) {
            try {
                example = JSON.readTree(example.textValue());
            } catch (java.io.IOException e) {
                example = null;
            }
        }
        if (example != null && !example.isMissingNode()) {
            return example;
        }
        return fromSchema(ApiOperation.resolve(document, content.path("schema")), random, 0);
    }

    private JsonNode fromSchema(JsonNode schema, SplittableRandom random, int depth) {
        JsonNode example = ApiOperation.example(schema);
        schema = ApiOperation.resolve(document, schema);
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (example == null) {
            example = ApiOperation.example(schema);
        }
        if (example != null) {
            return example;
        }
        if (schema.has("enum") && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(0);
        }
        String type = ApiOperation.typeOf(schema);
        switch (type) {
            case "object" -> {
                ObjectNode o = f.objectNode();
                if (depth > 4) {
                    return o;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> prop = it.next();
                    o.set(prop.getKey(), known.containsKey(prop.getKey()) ? f.textNode(known.get(prop.getKey()))
                            : fromSchema(prop.getValue(), random, depth + 1));
                }
                return o;
            }
            case "array" -> {
                ArrayNode a = f.arrayNode();
                if (depth <= 4) {
                    a.add(fromSchema(schema.path("items"), random, depth + 1));
                }
                return a;
            }
            case "integer" -> {
                return f.numberNode(1);
            }
            case "number" -> {
                return f.numberNode(1.5);
            }
            case "boolean" -> {
                return f.booleanNode(true);
            }
            default -> {
                String format = schema.path("format").asText("");
                return f.textNode(switch (format) {
                    case "date-time" -> "2018-02-24T00:00:00Z";
                    case "date" -> "2018-02-24";
                    case "uuid" -> new UUID(random.nextLong(), random.nextLong()).toString();
                    default -> "fuzz";
                });
            }
        }
    }

    private static String textExample(JsonNode content) {
        JsonNode example = content.get("example");
        if (example == null) {
            for (JsonNode e : content.path("examples")) {
                example = e.get("value");
                break;
            }
        }
        return example != null && example.isTextual() ? example.textValue() : "id,value\nfuzz,1\n";
    }

    // ---- The changes ----

    private void collect() {
        boolean write = op.isWrite();
        if (op.secured()) {
            must("auth.none", (d, r) -> d.authorization = null);
            must("auth.not-a-jwt", (d, r) -> d.authorization = "Bearer not-a-jwt");
            if (expiredToken != null) {
                must("auth.expired", (d, r) -> d.authorization = "Bearer " + expiredToken);
            }
            must("auth.basic", (d, r) -> d.authorization = "Basic YWRtaW46YWRtaW4=");
            must("auth.odd-bytes", (d, r) -> d.authorization = "Bearer \t\u00ff\u00fe" + MARK);
            must("auth.overlong", (d, r) -> d.authorization = "Bearer " + "A".repeat(8192));
            must("auth.tampered", (d, r) -> d.authorization = tamper(d.authorization));
            List<String> refused = ROLES.stream().filter(role -> !op.roles().isEmpty() && !op.roles().contains(role)
                    && !role.equals("admin")).toList();
            if (!refused.isEmpty()) {
                must("auth.wrong-role", (d, r) -> d.authorization = "Bearer "
                        + tokenForRole.apply(refused.get(r.nextInt(refused.size()))));
            }
        }
        for (String method : List.of("GET", "PUT", "POST", "DELETE", "PATCH")) {
            if (!methodsOfPath.contains(method)) {
                must("method." + method, (d, r) -> d.method = method);
            }
        }
        must("method.unknown", (d, r) -> d.method = "FUZZ");
        must("path.unknown-suffix", (d, r) -> d.suffix = "/fuzz-unknown" + pick(r, "", "%00", "%FF", "/x"));
        for (ApiOperation.Param p : op.params("path")) {
            pathChanges(p, write);
        }
        for (ApiOperation.Param p : op.params("query")) {
            queryChanges(p);
        }
        List<ApiOperation.Param> temporal = op.params("query").stream().filter(ApiOperation.Param::isTemporal).toList();
        if (hasParam(temporal, "from") && hasParam(temporal, "to")) {
            must("query.range-inverted", (d, r) -> {
                setQuery(d, "from", "2018-02-25T00:00:00Z");
                setQuery(d, "to", "2018-02-24T00:00:00Z");
            });
            may("query.range-empty", (d, r) -> {
                setQuery(d, "from", "2018-02-24T00:00:00Z");
                setQuery(d, "to", "2018-02-24T00:00:00Z");
            });
        }
        may("query.unknown-parameters", (d, r) -> {
            int n = 1 + r.nextInt(200);
            for (int i = 0; i < n; i++) {
                d.query.add(new String[] {"fuzz" + i + pick(r, "", "%00", "%FF", "[]", "%5B0%5D"), pick(r, "1", "", "%C3%A9")});
            }
        });
        may("query.long", (d, r) -> d.query.add(new String[] {"fuzz", "q".repeat(limits.maxRequestLine())}));
        may("query.no-value", (d, r) -> d.query.add(new String[] {"fuzz", null}));
        headerChanges();
        if (!op.bodies().isEmpty()) {
            bodyChanges();
        }
    }

    private void pathChanges(ApiOperation.Param p, boolean write) {
        String at = "path." + p.name();
        must(at + ".nul", (d, r) -> d.path.compute(p.name(), (k, v) -> insert(r, v, "%00")));
        must(at + ".control", (d, r) -> d.path.compute(p.name(), (k, v) -> insert(r, v, control(r))));
        must(at + ".invalid-utf8", (d, r) -> d.path.compute(p.name(), (k, v) -> insert(r, v, pick(r, INVALID_UTF8))));
        must(at + ".malformed-percent", (d, r) -> d.path.compute(p.name(), (k, v) -> v + pick(r, MALFORMED_PERCENT)));
        Mutation overlong = new Mutation(at + ".overlong", write,
                (d, r) -> d.path.put(p.name(), "a".repeat(10240)));
        (write ? mustReject : mayAccept).add(overlong);
        may(at + ".unicode", (d, r) -> d.path.put(p.name(), pick(r, UNICODE)));
        may(at + ".odd", (d, r) -> d.path.put(p.name(), pick(r, ANY_IDS)));
        may(at + ".empty", (d, r) -> d.path.put(p.name(), ""));
        may(at + ".long", (d, r) -> d.path.put(p.name(), "b".repeat(65 + r.nextInt(1000))));
    }

    private void queryChanges(ApiOperation.Param p) {
        String at = "query." + p.name();
        must(at + ".nul", (d, r) -> setQuery(d, p.name(), insert(r, current(d, p), "%00")));
        must(at + ".control", (d, r) -> setQuery(d, p.name(), insert(r, current(d, p), control(r))));
        must(at + ".invalid-utf8", (d, r) -> setQuery(d, p.name(), insert(r, current(d, p), pick(r, INVALID_UTF8))));
        must(at + ".malformed-percent", (d, r) -> setQuery(d, p.name(), current(d, p) + pick(r, MALFORMED_PERCENT)));
        must(at + ".name-nul", (d, r) -> d.query.add(new String[] {encode(p.name()) + "%00", current(d, p)}));
        if (p.required()) {
            must(at + ".missing", (d, r) -> d.query.removeIf(q -> q[0].equals(encode(p.name()))));
            must(at + ".empty", (d, r) -> setQuery(d, p.name(), ""));
        } else {
            may(at + ".empty", (d, r) -> setQuery(d, p.name(), ""));
        }
        if (p.isTemporal()) {
            must(at + ".bad-date", (d, r) -> setQuery(d, p.name(), pick(r, BAD_DATES)));
            must(at + ".overlong", (d, r) -> setQuery(d, p.name(), "2".repeat(10240)));
            may(at + ".edge-date", (d, r) -> setQuery(d, p.name(), pick(r, EDGE_DATES)));
        } else if (p.isInteger()) {
            must(at + ".huge-number", (d, r) -> setQuery(d, p.name(), pick(r, HUGE_INTEGERS)));
            must(at + ".overlong", (d, r) -> setQuery(d, p.name(), "9".repeat(10240)));
            may(at + ".edge-number", (d, r) -> setQuery(d, p.name(), pick(r, EDGE_INTEGERS)));
        } else {
            may(at + ".overlong", (d, r) -> setQuery(d, p.name(), "c".repeat(10240)));
        }
        if (!p.enumeration().isEmpty()) {
            must(at + ".unknown-enum", (d, r) -> setQuery(d, p.name(), "fuzz-unknown"));
        } else {
            may(at + ".unknown-word", (d, r) -> setQuery(d, p.name(), pick(r, "fuzz-unknown", "NONE", "1m%2B", "%2A")));
        }
        may(at + ".unicode", (d, r) -> setQuery(d, p.name(), pick(r, UNICODE)));
        may(at + ".odd", (d, r) -> setQuery(d, p.name(), pick(r, ANY_IDS)));
        may(at + ".repeated", (d, r) -> {
            String v = current(d, p);
            d.query.add(new String[] {encode(p.name()), v});
            d.query.add(new String[] {encode(p.name()), pick(r, "", "x", "%C3%A9", v)});
        });
    }

    private void headerChanges() {
        // Other control characters in a header value never reach a service: the HTTP decoder (Netty) refuses them with
        // an empty 400 before any handler runs, and Quarkus 3.34 has no hook for that answer (the gateway's checks).
        may("header.tab", (d, r) -> d.headers.add(new RawHttp.Header(pick(r, "X-Fuzz", "X-Request-Id", "Accept",
                "If-None-Match", "Accept-Language", "User-Agent"), bytes("a", new byte[] {0x09, 0x09}, "b"))));
        if (limits.controlBytesInHeaders()) {
            may("header.control", (d, r) -> d.headers.add(new RawHttp.Header(pick(r, "X-Fuzz", "X-Request-Id",
                    "Accept", "User-Agent"), bytes("a", new byte[] {(byte) (1 + r.nextInt(8)), 0x1f, 0x7f}, "b"))));
        }
        may("header.high-bytes", (d, r) -> d.headers.add(new RawHttp.Header(pick(r, "X-Fuzz", "X-Request-Id",
                "If-None-Match"), new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80})));
        may("header.utf8", (d, r) -> d.headers.add(new RawHttp.Header("X-Fuzz", "café ☃ 😀".getBytes(StandardCharsets.UTF_8))));
        may("header.overlong", (d, r) -> d.headers.add(RawHttp.Header.of(pick(r, "X-Fuzz", "X-Request-Id", "Accept",
                "If-None-Match", "Cookie"), "h".repeat(Math.max(1024, limits.maxHeaderBytes() / 2 - 1024 + r.nextInt(512))))));
        may("header.many", (d, r) -> {
            int n = 50 + r.nextInt(150);
            for (int i = 0; i < n; i++) {
                d.headers.add(RawHttp.Header.of("X-Fuzz-" + i, "v" + i));
            }
        });
        may("header.accept", (d, r) -> d.headers.add(RawHttp.Header.of("Accept", pick(r, "application/xml",
                "text/html", "image/png", "*/*;q=x", ";;;", "application/json;q=0, */*;q=0", "application/problem+json"))));
        may("header.request-id", (d, r) -> d.headers.add(RawHttp.Header.of("X-Request-Id", pick(r, "", " ", "a b",
                "'; DROP TABLE x;--", "i".repeat(200), "%00"))));
        may("header.forwarded", (d, r) -> d.headers.add(RawHttp.Header.of(pick(r, "X-Forwarded-For", "Forwarded",
                "X-Forwarded-Host", "X-Forwarded-Proto"), pick(r, "999.999.999.999", "for=\"[zz\"", "%00", "a,b,,c"))));
        may("header.duplicate-authorization", (d, r) -> {
            if (d.authorization != null) {
                d.headers.add(RawHttp.Header.of("Authorization", "Bearer not-a-jwt"));
            }
        });
    }

    private void bodyChanges() {
        if (op.bodies().keySet().stream().anyMatch(HostileRequests::isJson)) {
            mustJson("body.empty", (d, r) -> d.body = new byte[0]);
        } else {
            may("body.empty", (d, r) -> d.body = new byte[0]);
        }
        must("content-type.wrong", (d, r) -> {
            List<String> wrong = new ArrayList<>(List.of(WRONG_TYPES));
            wrong.removeIf(t -> op.bodies().keySet().stream().anyMatch(b -> b.equalsIgnoreCase(t)));
            d.contentType = wrong.get(r.nextInt(wrong.size()));
        });
        must("content-type.missing", (d, r) -> d.contentType = null);
        may("content-type.odd", (d, r) -> d.contentType = d.mediaType + pick(r, ";;;", "; charset=latin1",
                "; boundary=\"", "; charset=utf-16", ", text/plain", "; q=x"));
        if (op.bodies().keySet().stream().anyMatch(HostileRequests::isJson)) {
            jsonChanges();
        }
        may("body.binary", (d, r) -> {
            byte[] b = new byte[1 + r.nextInt(4096)];
            r.nextBytes(b);
            d.body = b;
        });
        may("body.nul-bytes", (d, r) -> d.body = bytes("", new byte[] {0, 0, 0, 1, 2, 3}, new String(d.body,
                StandardCharsets.UTF_8)));
        may("body.invalid-utf8-raw", (d, r) -> d.body = bytes(new String(d.body, StandardCharsets.UTF_8),
                new byte[] {(byte) 0xc3, 0x28, (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\n"));
    }

    private void jsonChanges() {
        mustJson("body.truncated", (d, r) -> {
            byte[] full = d.body;
            int cut = full.length <= 1 ? 0 : 1 + r.nextInt(full.length - 1);
            d.body = java.util.Arrays.copyOf(full, cut);
        });
        mustJson("body.not-json", (d, r) -> d.body = pick(r, "nonsense", "<xml/>", "{'single': 1}", "{\"a\" 1}",
                "[1,]", "{\"a\":1}}", "\u0000\u0001").getBytes(StandardCharsets.UTF_8));
        mustJson("body.null", (d, r) -> d.body = "null".getBytes(StandardCharsets.UTF_8));
        mustJson("body.scalar", (d, r) -> d.body = pick(r, "42", "\"text\"", "true", "1e400").getBytes(StandardCharsets.UTF_8));
        mustJson("body.deep-array", (d, r) -> d.body = nested(r.nextBoolean() ? 100_000 : 2_000, "[", "]"));
        mustJson("body.deep-object", (d, r) -> d.body = nested(r.nextBoolean() ? 100_000 : 2_000, "{\"a\":", "}"));
        mustJson("body.deep-field", (d, r) -> {
            ObjectNode target = target(d);
            String field = anyField(target, r);
            d.body = serialize(d.mediaType, d.json, field, new String(nested(5_000, "[", "]"), StandardCharsets.UTF_8));
        });
        mustJson("body.extra-field", (d, r) -> {
            target(d).put(pick(r, "fuzz_unknown", "FuzzUnknown", "__proto__", "constructor"), "x");
            d.body = serialize(d.mediaType, d.json);
        });
        mustJson("body.wrong-type", (d, r) -> {
            ObjectNode target = target(d);
            String field = anyField(target, r);
            JsonNode old = target.path(field);
            JsonNode wrong = old.isTextual() ? pickNode(r, "true", "{}", "[\"x\"]", "{\"a\":1}")
                    : old.isNumber() ? pickNode(r, "\"abc\"", "true", "{}", "[1]", "1.5")
                    : old.isObject() ? pickNode(r, "\"x\"", "[]", "true") : old.isArray() ? pickNode(r, "{}", "\"x\"", "true")
                    : pickNode(r, "{}", "[[[]]]");
            target.set(field, wrong);
            d.body = serialize(d.mediaType, d.json);
        });
        mustJson("body.missing-required", (d, r) -> {
            ObjectNode target = target(d);
            List<String> required = requiredFields();
            if (required.isEmpty()) {
                // Nothing documented as required: replace the body by an object without any field.
                d.json = d.json.isArray() ? JSON.createArrayNode().add(JSON.createObjectNode()) : JSON.createObjectNode();
                if (!d.json.isArray()) {
                    ((ObjectNode) d.json).put("fuzz_unknown", 1);
                }
            } else {
                target.remove(required.get(r.nextInt(required.size())));
            }
            d.body = serialize(d.mediaType, d.json);
        });
        mustJson("body.nul-in-string", (d, r) -> stringMark(d, r, "a\\u0000b"));
        mustJson("body.lone-surrogate", (d, r) -> stringMark(d, r, pick(r, "\\ud800", "x\\udc00y", "\\udbff\\u0041")));
        mustJson("body.raw-surrogate", (d, r) -> rawStringMark(d, r, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        mustJson("body.invalid-utf8", (d, r) -> rawStringMark(d, r, pick(r, new byte[] {(byte) 0xc3, 0x28},
                new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xe2, (byte) 0x82})));
        mustJson("body.raw-control", (d, r) -> rawStringMark(d, r, new byte[] {0x00, 0x01, 0x1f}));
        Mutation huge = new Mutation("body.huge-number", true, (d, r) -> {
            ObjectNode target = target(d);
            List<String> numeric = new ArrayList<>();
            target.fieldNames().forEachRemaining(n -> {
                if (target.get(n).isNumber()) {
                    numeric.add(n);
                }
            });
            String field = numeric.isEmpty() ? null : numeric.get(r.nextInt(numeric.size()));
            if (field == null) {
                d.body = serialize(d.mediaType, d.json, "fuzz_unknown", pick(r, HUGE_NUMBERS));
            } else {
                d.body = serialize(d.mediaType, d.json, field, pick(r, HUGE_NUMBERS));
            }
        });
        json(huge);
        mayJson("body.huge-number-anywhere", (d, r) -> d.body = serialize(d.mediaType, d.json,
                anyField(target(d), r), pick(r, HUGE_NUMBERS)));
        mayJson("body.control-chars", (d, r) -> stringMark(d, r, "a\\u0007\\u001b[31m\\r\\nb"));
        mayJson("body.unicode", (d, r) -> stringMark(d, r, pick(r, "caf\\u00e9", "\\ud83d\\ude00", "\\u202e", "\\ufeff")));
        mayJson("body.long-string", (d, r) -> stringMark(d, r, "s".repeat(1000 + r.nextInt(100_000))));
        mayJson("body.duplicate-key", (d, r) -> {
            ObjectNode target = target(d);
            String field = anyField(target, r);
            String text = new String(d.body, StandardCharsets.UTF_8);
            String key = "\"" + field + "\":";
            d.body = text.replaceFirst(java.util.regex.Pattern.quote(key), java.util.regex.Matcher.quoteReplacement(
                    key + "\"fuzz\"," + key)).getBytes(StandardCharsets.UTF_8);
        });
        mayJson("body.bom", (d, r) -> d.body = bytes("", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                new String(d.body, StandardCharsets.UTF_8)));
        mayJson("body.empty-batch", (d, r) -> d.body = pick(r, "[]", "{}").getBytes(StandardCharsets.UTF_8));
        mayJson("body.edge-values", (d, r) -> d.body = serialize(d.mediaType, d.json, anyField(target(d), r),
                pick(r, "-1", "0", "2147483648", "-0", "\"\"", "\" \"", "\"0000-01-01T00:00:00Z\"",
                        "\"9999-12-31T23:59:59Z\"", "\"99999-12-31T00:00:00Z\"", "null")));
    }

    // ---- Helpers ----

    private void must(String kind, Change change) {
        mustReject.add(new Mutation(kind, true, change));
    }

    private void may(String kind, Change change) {
        mayAccept.add(new Mutation(kind, false, change));
    }

    /** A body change that needs a JSON media type: it switches the draft to one first. */
    private void mustJson(String kind, Change change) {
        json(new Mutation(kind, true, change));
    }

    private void mayJson(String kind, Change change) {
        json(new Mutation(kind, false, change));
    }

    private void json(Mutation m) {
        Change withJson = (d, r) -> {
            if (d.json == null) {
                List<String> types = op.bodies().keySet().stream().filter(HostileRequests::isJson).toList();
                d.mediaType = types.get(r.nextInt(types.size()));
                d.contentType = d.mediaType;
                d.json = exampleBody(op.bodies().get(d.mediaType), r);
                d.body = serialize(d.mediaType, d.json);
            }
            m.change().apply(d, r);
        };
        (m.mustReject() ? mustReject : mayAccept).add(new Mutation(m.kind(), m.mustReject(), withJson));
    }

    private List<String> requiredFields() {
        List<String> fields = new ArrayList<>();
        for (JsonNode content : op.bodies().values()) {
            JsonNode schema = ApiOperation.resolve(document, content.path("schema"));
            if ("array".equals(schema.path("type").asText())) {
                schema = ApiOperation.resolve(document, schema.path("items"));
            }
            schema.path("required").forEach(f -> fields.add(f.asText()));
            break;
        }
        return fields;
    }

    /** The object a body change works on: the body, or the first item of a batch. */
    private static ObjectNode target(Draft d) {
        if (d.json.isArray() && !d.json.isEmpty() && d.json.get(0).isObject()) {
            return (ObjectNode) d.json.get(0);
        }
        if (d.json.isObject()) {
            return (ObjectNode) d.json;
        }
        ObjectNode o = JSON.createObjectNode();
        d.json = o;
        return o;
    }

    private static String anyField(ObjectNode target, SplittableRandom r) {
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? "fuzz_unknown" : names.get(r.nextInt(names.size()));
    }

    /** Puts {@code escaped} (JSON string content, escapes as written) into a string field, or a new one. */
    private void stringMark(Draft d, SplittableRandom r, String escaped) {
        String field = stringField(target(d), r);
        d.body = serialize(d.mediaType, d.json, field, "\"" + escaped + "\"");
    }

    /** Puts raw bytes (not valid in a JSON string, or not UTF-8) into a string field. */
    private void rawStringMark(Draft d, SplittableRandom r, byte[] raw) {
        String field = stringField(target(d), r);
        byte[] text = serialize(d.mediaType, d.json, field, "\"" + MARK + "\"");
        String s = new String(text, StandardCharsets.UTF_8);
        int at = s.indexOf(MARK);
        d.body = bytes(s.substring(0, at), raw, s.substring(at + MARK.length()));
    }

    private static String stringField(ObjectNode target, SplittableRandom r) {
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(n -> {
            if (target.get(n).isTextual()) {
                names.add(n);
            }
        });
        return names.isEmpty() ? anyField(target, r) : names.get(r.nextInt(names.size()));
    }

    /**
     * The body as bytes for its media type (NDJSON: one item per line); with {@code field} set, that field of the
     * target object is written as the raw JSON text {@code raw} (which may be no valid JSON value at all).
     */
    private static byte[] serialize(String mediaType, JsonNode json, String field, String raw) {
        JsonNode copy = json.deepCopy();
        if (field != null) {
            ObjectNode target = copy.isArray() && !copy.isEmpty() && copy.get(0).isObject() ? (ObjectNode) copy.get(0)
                    : copy.isObject() ? (ObjectNode) copy : null;
            if (target != null) {
                target.put(field, MARK);
            }
        }
        String text;
        try {
            if (mediaType != null && mediaType.contains("ndjson") && copy.isArray()) {
                StringBuilder lines = new StringBuilder();
                for (JsonNode item : copy) {
                    lines.append(JSON.writeValueAsString(item)).append('\n');
                }
                text = lines.toString();
            } else {
                text = JSON.writeValueAsString(copy);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (field != null) {
            text = text.replace("\"" + MARK + "\"", raw);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] serialize(String mediaType, JsonNode json) {
        return serialize(mediaType, json, null, null);
    }

    private static byte[] nested(int depth, String open, String close) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(depth * (open.length() + close.length()));
        byte[] o = open.getBytes(StandardCharsets.UTF_8);
        byte[] c = close.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < depth; i++) {
            out.writeBytes(o);
        }
        out.writeBytes("1".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < depth; i++) {
            out.writeBytes(c);
        }
        return out.toByteArray();
    }

    private static String tamper(String authorization) {
        if (authorization == null || authorization.length() < 20) {
            return "Bearer e30.e30.";
        }
        char[] chars = authorization.toCharArray();
        int i = chars.length - 5;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }

    private static boolean hasParam(List<ApiOperation.Param> params, String name) {
        return params.stream().anyMatch(p -> p.name().equals(name));
    }

    private String current(Draft d, ApiOperation.Param p) {
        String name = encode(p.name());
        for (String[] q : d.query) {
            if (q[0].equals(name) && q[1] != null) {
                return q[1];
            }
        }
        return encode(p.example() != null ? p.example() : "fuzz");
    }

    private static void setQuery(Draft d, String name, String encodedValue) {
        String key = encode(name);
        d.query.removeIf(q -> q[0].equals(key));
        d.query.add(new String[] {key, encodedValue});
    }

    private static String insert(SplittableRandom r, String value, String what) {
        int at = value.isEmpty() ? 0 : r.nextInt(value.length() + 1);
        // Never split an existing %XX escape.
        while (at > 0 && at < value.length() && (value.charAt(at - 1) == '%'
                || (at > 1 && value.charAt(at - 2) == '%'))) {
            at--;
        }
        return value.substring(0, at) + what + value.substring(at);
    }

    private static String control(SplittableRandom r) {
        int c = r.nextInt(33);
        return String.format(Locale.ROOT, "%%%02X", c == 32 ? 0x7f : c);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static boolean isJson(String mediaType) {
        String m = mediaType.toLowerCase(Locale.ROOT);
        return m.contains("json");
    }

    private static JsonNode pickNode(SplittableRandom r, String... json) {
        try {
            return JSON.readTree(json[r.nextInt(json.length)]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    private static <T> T pick(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
