package dev.footfall.analytics.rest.heartbeat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.problem.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads a batch body (a JSON array, one JSON object, or NDJSON) item by item, so that a problem can name every invalid
 * item by index and field. A batch is all-or-nothing: one invalid item rejects it.
 */
@ApplicationScoped
public class BatchReader {

    public static final String NDJSON = "application/x-ndjson";

    /** Further checks of one converted item; reports errors by field and may return a normalized item. */
    @FunctionalInterface
    public interface ItemCheck<T> {
        T check(T item, Errors errors);
    }

    /** Collects the errors of one item. */
    public static final class Errors {
        private final int index;
        private final List<Problem.FieldError> sink;

        Errors(int index, List<Problem.FieldError> sink) {
            this.index = index;
            this.sink = sink;
        }

        public void add(String field, String message) {
            sink.add(new Problem.FieldError(index, field, message));
        }
    }

    private final ObjectMapper mapper;
    private final Validator validator;
    private final int maxErrors;

    BatchReader(ObjectMapper mapper, Validator validator, AnalyticsConfig config) {
        this.mapper = mapper;
        this.validator = validator;
        this.maxErrors = config.heartbeat().maxItemErrors();
    }

    public <T> List<T> read(byte[] body, String contentType, Class<T> type, String noun) {
        return read(body, contentType, type, noun, (item, errors) -> item);
    }

    public <T> List<T> read(byte[] body, String contentType, Class<T> type, String noun, ItemCheck<T> check) {
        List<JsonNode> nodes = isNdjson(contentType) ? lines(body) : array(body);
        List<T> items = new ArrayList<>(nodes.size());
        List<Problem.FieldError> errors = new ArrayList<>();
        int invalid = 0;
        for (int i = 0; i < nodes.size(); i++) {
            int before = errors.size();
            T item = convert(nodes.get(i), type, new Errors(i, errors));
            if (item != null && errors.size() == before) {
                item = check.check(item, new Errors(i, errors));
            }
            if (errors.size() > before) {
                invalid++;
            } else {
                items.add(item);
            }
        }
        if (invalid > 0) {
            List<Problem.FieldError> shown = errors.size() > maxErrors ? errors.subList(0, maxErrors) : errors;
            throw ProblemException.invalid(invalid + " of " + nodes.size() + " " + noun + " are invalid; nothing was stored"
                    + (errors.size() > maxErrors ? " (first " + maxErrors + " errors listed)" : ""), shown);
        }
        return items;
    }

    private <T> T convert(JsonNode node, Class<T> type, Errors errors) {
        if (!node.isObject()) {
            errors.add("item", "must be a JSON object");
            return null;
        }
        T item;
        try {
            item = mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            Problems.fromJson(e).errors().forEach(fe -> errors.add(fe.field(), fe.message()));
            return null;
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonProcessingException json) {
                Problems.fromJson(json).errors().forEach(fe -> errors.add(fe.field(), fe.message()));
            } else {
                errors.add("item", "cannot be read");
            }
            return null;
        }
        validator.validate(item).stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .forEach(v -> errors.add(field(v), v.getMessage()));
        return item;
    }

    private List<JsonNode> array(byte[] body) {
        JsonNode root = parse(body, 0, body.length, null);
        if (root == null || root.isMissingNode()) {
            throw ProblemException.badRequest("body", "must be a JSON array of objects (or NDJSON)");
        }
        if (root.isObject()) {
            return List.of(root);
        }
        if (!root.isArray()) {
            throw ProblemException.badRequest("body", "must be a JSON array of objects (or NDJSON)");
        }
        List<JsonNode> nodes = new ArrayList<>(root.size());
        root.forEach(nodes::add);
        return nodes;
    }

    private List<JsonNode> lines(byte[] body) {
        List<JsonNode> nodes = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (!isBlank(body, start, i)) {
                    nodes.add(parse(body, start, i - start, line));
                }
                start = i + 1;
                line++;
            }
        }
        if (nodes.isEmpty()) {
            // As an empty JSON body is: a batch without a single line is a mistake, not an upload of nothing.
            throw ProblemException.badRequest("body", "must hold at least one JSON object per line (NDJSON)");
        }
        return nodes;
    }

    private JsonNode parse(byte[] body, int offset, int length, Integer line) {
        try {
            return mapper.readTree(body, offset, length);
        } catch (JsonProcessingException e) {
            if (line == null) {
                throw new ProblemException(Problems.fromJson(e));
            }
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "Line " + line + " is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw ProblemException.badRequest("body", "cannot be read");
        }
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(body[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNdjson(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(NDJSON);
    }

    private static String field(ConstraintViolation<?> v) {
        return v.getPropertyPath().toString().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

}
