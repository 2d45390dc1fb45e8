package dev.footfall.analytics.heartbeat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.footfall.common.time.Timestamps;
import dev.footfall.testing.Tokens;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The public device-monitoring sample (src/test/resources/heartbeats), read independently of the service, and loaded
 * into it once per test run through the staging API (events first: devices and versions arrive after them).
 */
final class HeartbeatSample {

    static final long PROJECT = 367;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static boolean loaded;

    /** A heartbeat as the sample has it, resolved to version string and cohort name. */
    record Heartbeat(long id, Instant captured, String version, String cohort, JsonNode metrics) {
    }

    static final List<Map<String, String>> COHORTS = read("cohorts.csv");
    static final List<Map<String, String>> DEVICES = read("devices.csv");
    static final List<Map<String, String>> VERSIONS = read("software_versions.csv");
    static final List<Map<String, String>> EVENTS = read("events.csv");

    private HeartbeatSample() {
    }

    static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        List<ObjectNode> events = EVENTS.stream().map(HeartbeatSample::event).toList();
        // JSON arrays and NDJSON, event_info as an object and as the CSV export's JSON string.
        for (int i = 0; i < events.size(); i += 1000) {
            List<ObjectNode> chunk = events.subList(i, Math.min(events.size(), i + 1000));
            if ((i / 1000) % 2 == 0) {
                post("events", array(chunk), ContentType.JSON.toString()).body("received", equalTo(chunk.size()));
            } else {
                String ndjson = chunk.stream().map(e -> {
                    ObjectNode copy = e.deepCopy();
                    copy.put("event_info", e.get("event_info").toString());
                    return copy.toString();
                }).collect(Collectors.joining("\n"));
                post("events", ndjson, "application/x-ndjson").body("received", equalTo(chunk.size()));
            }
        }
        post("cohorts", array(COHORTS.stream().map(c -> object("id", num(c.get("id")), "project_id",
                num(c.get("project_id")), "name", c.get("name"))).toList()), ContentType.JSON.toString());
        post("devices", DEVICES.stream().map(d -> object("id", num(d.get("id")), "project_id", num(d.get("project_id")),
                "device_serial", d.get("device_serial"), "cohort_id", num(d.get("cohort_id"))).toString())
                .collect(Collectors.joining("\n")), "application/x-ndjson");
        post("software_versions", array(VERSIONS.stream().map(v -> object("id", num(v.get("id")), "project_id",
                num(v.get("project_id")), "version", v.get("version"))).toList()), ContentType.JSON.toString());
        given().auth().oauth2(Tokens.admin()).post("/v1/heartbeats/curation").then().statusCode(200)
                .body("status", equalTo("succeeded"));
        loaded = true;
    }

    /** Every heartbeat of the sample with its version string and cohort name resolved as of the files. */
    static List<Heartbeat> heartbeats() {
        Map<String, String> versionById = VERSIONS.stream().collect(Collectors.toMap(v -> v.get("id"), v -> v.get("version")));
        Map<String, String> cohortById = COHORTS.stream().collect(Collectors.toMap(c -> c.get("id"), c -> c.get("name")));
        Map<String, String> cohortOfDevice = new HashMap<>();
        DEVICES.forEach(d -> cohortOfDevice.put(d.get("id"), cohortById.get(d.get("cohort_id"))));
        List<Heartbeat> heartbeats = new ArrayList<>();
        for (Map<String, String> e : EVENTS) {
            if (e.get("type").equals("heartbeat")) {
                heartbeats.add(new Heartbeat(Long.parseLong(e.get("id")), Timestamps.parse(e.get("captured_date")),
                        versionById.get(e.get("software_version_id")), cohortOfDevice.get(e.get("device_id")),
                        json(e.get("event_info")).get("metrics")));
            }
        }
        return heartbeats;
    }

    private static ObjectNode event(Map<String, String> e) {
        return object("id", num(e.get("id")), "project_id", num(e.get("project_id")), "captured_date",
                e.get("captured_date"), "created_date", e.get("created_date"), "type", e.get("type"),
                "software_version_id", num(e.get("software_version_id")), "device_id", num(e.get("device_id")),
                "event_info", json(e.get("event_info")));
    }

    private static io.restassured.response.ValidatableResponse post(String what, String body, String contentType) {
        return given().auth().oauth2(Tokens.admin()).contentType(contentType)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/v1/heartbeats/" + what).then().statusCode(200);
    }

    static ObjectNode object(Object... keyValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], MAPPER.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    static String array(List<ObjectNode> items) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        items.forEach(array::add);
        return array.toString();
    }

    private static Long num(String text) {
        return text == null || text.isEmpty() ? null : Long.parseLong(text);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tab-separated with a header; a quoted field doubles its quotes (PostgreSQL's CSV export). */
    private static List<Map<String, String>> read(String file) {
        try (InputStream in = HeartbeatSample.class.getResourceAsStream("/heartbeats/" + file);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] header = reader.readLine().split("\t", -1);
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    String f = fields[i];
                    if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
                        f = f.substring(1, f.length() - 1).replace("\"\"", "\"");
                    }
                    row.put(header[i], f);
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
