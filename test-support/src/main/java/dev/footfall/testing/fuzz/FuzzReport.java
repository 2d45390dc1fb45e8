package dev.footfall.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a fuzz run found: the statuses, and every request that broke a rule, the first of each kind kept with a
 * curl line that reproduces it. The rules: no 5xx and always an answer; every error a problem+json with type, title,
 * status and detail; a request that must be rejected is not accepted; nothing stored by rejected requests.
 */
public final class FuzzReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT = 40;

    /** One broken rule. */
    public record Finding(String rule, String operation, String kind, int status, String answer, String curl) {
        String describe() {
            return rule + ": " + operation + " [" + kind + "] -> " + (status == 0 ? "no answer" : status) + "\n    "
                    + curl + "\n    answer: " + answer;
        }
    }

    private final String service;
    private final long seed;
    private final String baseUrl;
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> broken = new TreeMap<>();
    private final Map<String, Finding> first = new LinkedHashMap<>();
    private int requests;
    private int accepted;
    private int mustReject;
    private long started = System.nanoTime();
    private long elapsedMillis;

    private final java.util.Set<String> open;
    private final Map<String, Finding> openFound = new LinkedHashMap<>();

    /** {@code open}: findings left to their owners ("METHOD /path kind-prefix"), reported but not failed on. */
    public FuzzReport(String service, long seed, String baseUrl, java.util.Set<String> open) {
        this.service = service;
        this.seed = seed;
        this.baseUrl = baseUrl;
        this.open = open;
    }

    /** Whether any change of the request (a kind may carry a second one: "a + b") is an open finding. */
    private boolean isOpen(String operation, String kind) {
        return java.util.Arrays.stream(kind.split(" \\+ "))
                .anyMatch(k -> open.stream().anyMatch(o -> (operation + " " + k).startsWith(o)));
    }

    /** Checks one answer against the rules; returns false when it broke one. */
    public boolean check(FuzzRequest request, RawHttp.Response response) {
        requests++;
        statuses.merge(response.status(), 1, Integer::sum);
        if (request.mustReject()) {
            mustReject++;
        }
        String rule = null;
        if (response.status() == 0) {
            rule = "no answer";
        } else if (response.status() >= 500) {
            rule = "5xx";
        } else if (response.status() >= 400 && problemError(response) != null) {
            rule = "not a problem";
        } else if (request.mustReject() && response.status() < 400) {
            rule = "accepted";
        }
        if (response.status() >= 200 && response.status() < 300) {
            accepted++;
        }
        if (rule == null) {
            return true;
        }
        String base = request.kind().replaceAll(" \\+ .*", "");
        String key = rule + "|" + request.operation() + "|" + base + "|" + response.status();
        Finding finding = new Finding(rule, request.operation(), request.kind(), response.status(),
                describe(response, rule), request.curl(baseUrl));
        if (isOpen(request.operation(), request.kind())) {
            openFound.putIfAbsent(key, finding);
            return true;
        }
        broken.merge(rule, 1, Integer::sum);
        first.putIfAbsent(key, finding);
        return false;
    }

    /** A rejected request changed stored data. */
    public void stored(String operation, String kind, String change, String curl) {
        Finding finding = new Finding("stored", operation, kind, -1, change, curl);
        if (isOpen(operation, kind)) {
            openFound.putIfAbsent("stored|" + operation + "|" + kind, finding);
            return;
        }
        broken.merge("stored", 1, Integer::sum);
        first.putIfAbsent("stored|" + operation + "|" + kind, finding);
    }

    public void finish() {
        elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    }

    public boolean clean() {
        return broken.isEmpty();
    }

    public int requests() {
        return requests;
    }

    /** Null when the answer is a complete problem+json for its status; else what is wrong with it. */
    public static String problemError(RawHttp.Response response) {
        String type = response.header("content-type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "Content-Type " + type;
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body == null || !body.isObject()) {
                return "body is not a JSON object";
            }
            if (!body.path("type").asText("").startsWith("https://footfall.dev/problems/")) {
                return "no footfall problem type";
            }
            if (body.path("title").asText("").isBlank() || body.path("detail").asText("").isBlank()) {
                return "no title or detail";
            }
            if (body.path("status").asInt(-1) != response.status()) {
                return "status " + body.path("status") + " differs from " + response.status();
            }
            return null;
        } catch (IOException e) {
            return "body is not JSON";
        }
    }

    private static String describe(RawHttp.Response response, String rule) {
        if (response.status() == 0) {
            return response.error();
        }
        String body = response.bodyText();
        body = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        String why = rule.equals("not a problem") ? " (" + problemError(response) + ")" : "";
        return response.status() + " " + response.header("content-type") + why + " " + body.replace("\n", "\\n");
    }

    /** The summary printed after a run. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("fuzz %s: %,d requests in %.1f s (seed %d), %,d that must be rejected, %,d answered 2xx%n",
                service, requests, elapsedMillis / 1000.0, seed, mustReject, accepted));
        s.append("  statuses: ").append(statuses).append('\n');
        s.append("  broken rules: ").append(broken.isEmpty() ? "none" : broken).append('\n');
        if (!openFound.isEmpty()) {
            s.append("  open findings, left to their owners (").append(openFound.size()).append("):\n");
            openFound.values().forEach(f -> s.append("    ").append(f.describe().replace("\n", "\n    ")).append('\n'));
        }
        return s.toString();
    }

    /** The failure message: the first offending request, then the first of every other kind. */
    public String failures() {
        List<Finding> all = new ArrayList<>(first.values());
        StringBuilder s = new StringBuilder(summary());
        s.append("First offending request:\n  ").append(all.get(0).describe()).append('\n');
        if (all.size() > 1) {
            s.append("The first of each other kind (").append(all.size() - 1).append("):\n");
            all.stream().skip(1).limit(KEPT).forEach(f -> s.append("  ").append(f.describe()).append('\n'));
        }
        return s.toString();
    }

    /** Writes the counts as JSON (for bench/fuzz): requests, statuses, broken rules, seed, seconds. */
    public void write(Path file) {
        ObjectNode json = JSON.createObjectNode();
        json.put("service", service);
        json.put("seed", seed);
        json.put("requests", requests);
        json.put("must_reject", mustReject);
        json.put("answered_2xx", accepted);
        json.put("seconds", elapsedMillis / 1000.0);
        ObjectNode st = json.putObject("statuses");
        statuses.forEach((k, v) -> st.put(String.valueOf(k), v));
        json.put("status_5xx", statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum());
        json.put("not_problem", broken.getOrDefault("not a problem", 0));
        json.put("no_answer", broken.getOrDefault("no answer", 0));
        json.put("accepted_hostile", broken.getOrDefault("accepted", 0));
        json.put("stored_by_rejected", broken.getOrDefault("stored", 0));
        json.put("open_findings", openFound.size());
        var findings = json.putArray("findings");
        first.values().stream().limit(KEPT).forEach(f -> findings.addObject().put("rule", f.rule())
                .put("operation", f.operation()).put("kind", f.kind()).put("status", f.status())
                .put("answer", f.answer()).put("curl", f.curl()));
        var openList = json.putArray("open");
        openFound.values().forEach(f -> openList.addObject().put("rule", f.rule()).put("operation", f.operation())
                .put("kind", f.kind()).put("status", f.status()).put("answer", f.answer()).put("curl", f.curl()));
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file, e);
        }
    }
}
