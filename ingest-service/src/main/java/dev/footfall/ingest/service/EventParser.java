package dev.footfall.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.common.json.FootfallObjectMapper;
import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.problem.Problems;
import dev.footfall.common.time.Timestamps;
import dev.footfall.ingest.config.IngestConfig;
import dev.footfall.ingest.model.SensorEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a POST /v1/events body (one object, a JSON array, or NDJSON) into events, checking every item and reporting
 * every bad one by index and field: a batch is all-or-nothing, so one bad item rejects it whole.
 */
@ApplicationScoped
public class EventParser {

    static final int MAX_REPORTED_ERRORS = 100;
    private static final Set<String> FIELDS = Set.of("id", "dpu_id", "timestamp", "direction");

    private final ObjectMapper mapper;
    private final int maxEvents;

    EventParser(ObjectMapper mapper, IngestConfig config) {
        this.mapper = mapper;
        this.maxEvents = config.batch().maxEvents();
    }

    public List<SensorEvent> parseJson(byte[] body) {
        JsonNode root = readTree(body, null);
        List<JsonNode> items = new ArrayList<>();
        if (root == null || root.isMissingNode()) {
            throw ProblemException.badRequest("body", "is empty");
        } else if (root.isArray()) {
            root.forEach(items::add);
        } else {
            items.add(root);
        }
        return toEvents(items);
    }

    public List<SensorEvent> parseNdjson(byte[] body) {
        List<JsonNode> items = new ArrayList<>();
        String text;
        try {
            // Strict: a lenient decode would store U+FFFD in place of the client's bytes.
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("body", "is not valid UTF-8");
        }
        int line = 0;
        for (String raw : text.split("\n")) {
            line++;
            if (!raw.isBlank()) {
                checkSize(items.size() + 1);
                items.add(readTree(raw.getBytes(StandardCharsets.UTF_8), line));
            }
        }
        return toEvents(items);
    }

    private List<SensorEvent> toEvents(List<JsonNode> items) {
        if (items.isEmpty()) {
            throw ProblemException.badRequest("body", "holds no events");
        }
        checkSize(items.size());
        List<SensorEvent> events = new ArrayList<>(items.size());
        List<Problem.FieldError> errors = new ArrayList<>();
        int badItems = 0;
        for (int i = 0; i < items.size(); i++) {
            int before = errors.size();
            SensorEvent event = toEvent(i, items.get(i), errors);
            if (errors.size() > before) {
                badItems++;
            } else {
                events.add(event);
            }
        }
        if (badItems > 0) {
            List<Problem.FieldError> shown = errors.size() > MAX_REPORTED_ERRORS ? errors.subList(0, MAX_REPORTED_ERRORS) : errors;
            throw ProblemException.invalid(badItems + " of " + items.size() + " events are invalid; nothing was stored"
                    + (errors.size() > shown.size() ? " (first " + shown.size() + " errors shown)" : ""), shown);
        }
        return events;
    }

    private SensorEvent toEvent(int index, JsonNode item, List<Problem.FieldError> errors) {
        if (!item.isObject()) {
            errors.add(new Problem.FieldError(index, "", "must be a JSON object"));
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext();) {
            String name = it.next().getKey();
            if (!FIELDS.contains(name)) {
                errors.add(new Problem.FieldError(index, name, "unknown field"));
            }
        }
        String id = identifier(index, item.get("id"), "id", 128, false, errors);
        String dpuId = identifier(index, item.get("dpu_id"), "dpu_id", 64, true, errors);
        Instant timestamp = timestamp(index, item.get("timestamp"), errors);
        Integer direction = direction(index, item.get("direction"), errors);
        if (dpuId == null || timestamp == null || direction == null) {
            return null;
        }
        return new SensorEvent(id, dpuId, timestamp, direction);
    }

    private static String identifier(int index, JsonNode node, String field, int maxLength, boolean required,
            List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new Problem.FieldError(index, field, "is required"));
            }
            return null;
        }
        String value;
        if (node.isTextual()) {
            value = node.textValue();
        } else if (node.isIntegralNumber()) {
            value = node.bigIntegerValue().toString();
        } else {
            errors.add(new Problem.FieldError(index, field, "must be a string or an integer"));
            return null;
        }
        if (value.isEmpty() || value.length() > maxLength) {
            errors.add(new Problem.FieldError(index, field, "must be 1 to " + maxLength + " characters"));
            return null;
        }
        if (!printable(value)) {
            // NUL would fail the whole appended group in PostgreSQL, other requests' events with it.
            errors.add(new Problem.FieldError(index, field, "must not contain control characters or unpaired surrogates"));
            return null;
        }
        return value;
    }

    private static boolean printable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return FootfallObjectMapper.unstorable(value) == null;
    }

    private static Instant timestamp(int index, JsonNode node, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new Problem.FieldError(index, "timestamp", "is required"));
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new Problem.FieldError(index, "timestamp", "must be an RFC 3339 string"));
            return null;
        }
        try {
            return Timestamps.parse(node.textValue());
        } catch (Timestamps.InvalidTimestampException e) {
            errors.add(new Problem.FieldError(index, "timestamp", e.getMessage()));
            return null;
        }
    }

    private static Integer direction(int index, JsonNode node, List<Problem.FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new Problem.FieldError(index, "direction", "is required"));
            return null;
        }
        if (!node.isIntegralNumber() || (node.asLong() != 1 && node.asLong() != -1)) {
            errors.add(new Problem.FieldError(index, "direction", "must be the number 1 or -1"));
            return null;
        }
        return node.intValue();
    }

    private JsonNode readTree(byte[] body, Integer line) {
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            Problem problem = Problems.fromJson(e);
            if (line != null) {
                problem = Problem.validation("NDJSON line " + line + " is not valid JSON; nothing was stored",
                        List.of(new Problem.FieldError(line - 1, "", "not valid JSON: " + e.getOriginalMessage())));
            }
            throw new ProblemException(problem);
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("body", "cannot be read");
        }
    }

    private void checkSize(int count) {
        if (count > maxEvents) {
            throw new ProblemException(Problem.of(413, "batch-too-large", "Batch too large",
                    "At most " + maxEvents + " events per request; split the batch"));
        }
    }
}
