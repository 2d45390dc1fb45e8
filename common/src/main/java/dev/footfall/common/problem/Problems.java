package dev.footfall.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.stream.Collectors;

/** Builds problem responses; shared by the JAX-RS mappers and the Vert.x router handlers. */
public final class Problems {

    private Problems() {
    }

    public static Response response(Problem problem, Integer retryAfterSeconds) {
        Response.ResponseBuilder builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfterSeconds != null) {
            builder.header("Retry-After", retryAfterSeconds);
        }
        return builder.build();
    }

    /** A problem for a bare HTTP status, as produced by routing or the HTTP layer. */
    public static Problem forStatus(int status, String detail) {
        return switch (status) {
            case 400 -> Problem.of(400, "bad-request", "Bad request", orDefault(detail, "The request is malformed"));
            case 401 -> Problem.of(401, "unauthorized", "Unauthorized", "A valid bearer token is required");
            case 403 -> Problem.of(403, "forbidden", "Forbidden", "The token's roles do not allow this operation");
            case 404 -> Problem.of(404, "not-found", "Not found", "No resource at this path");
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed",
                    "This resource does not support the request's method");
            case 406 -> Problem.of(406, "not-acceptable", "Not acceptable", "No representation matches the Accept header");
            case 413 -> Problem.of(413, "body-too-large", "Request body too large",
                    "The request body exceeds this endpoint's limit");
            case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "The request's Content-Type is not accepted here");
            case 503 -> Problem.of(503, "unavailable", "Service unavailable", "A backing store is unavailable; retry later");
            default -> status >= 500
                    ? Problem.of(status, "internal", "Internal error", "The request could not be completed")
                    : Problem.of(status, "error", "Request failed", orDefault(detail, "The request failed"));
        };
    }

    /** Describes a JSON body that could not be read: where it broke and why, in the client's field names. */
    public static Problem fromJson(JsonProcessingException e) {
        if (e instanceof JsonParseException) {
            return Problem.of(400, "malformed-json", "Malformed JSON",
                    "The body is not valid JSON: " + e.getOriginalMessage());
        }
        String field = e instanceof JsonMappingException m ? pathOf(m) : null;
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            field = field == null ? u.getPropertyName() : field;
            message = "unknown field";
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            message = v.getCause().getMessage();
        } else if (e instanceof InvalidFormatException f) {
            message = f.getTargetType() == java.time.Instant.class || f.getTargetType() == String.class
                    ? f.getOriginalMessage()
                    : "cannot read " + describe(f.getValue()) + " as " + typeName(f.getTargetType());
        } else if (e instanceof MismatchedInputException m) {
            message = m.getTargetType() == null ? "wrong type" : "expected " + typeName(m.getTargetType());
        } else {
            message = e.getOriginalMessage();
        }
        String shown = field == null || field.isEmpty() ? "body" : field;
        return Problem.validation(shown + ": " + message, List.of(Problem.FieldError.of(shown, message)));
    }

    /**
     * A problem for PostgreSQL refusing a value (SQLSTATE class 22, data exception: a NUL byte in text, a number or
     * date out of range; 54000, a value too large for an index), or null for any other failure. A backstop: input is
     * checked before it reaches the database, and what slips through is still the client's value, not a fault here.
     */
    public static Problem fromDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("22") || pg.getSqlState().equals("54000"))) {
                return Problem.of(400, "invalid-value", "Invalid value",
                        "A value of the request cannot be stored or compared (SQLSTATE " + pg.getSqlState() + ")");
            }
        }
        return null;
    }

    /** True when a failure means a dependency (PostgreSQL, Redis) cannot be reached rather than a bug. */
    public static boolean isDependencyDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
                return true;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            String msg = t.getMessage();
            if (msg != null && (msg.contains("Connection refused") || msg.contains("Connection is closed")
                    || msg.contains("connection is closed"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "the expected type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type.getPackageName().startsWith("java.time")) {
            return "a " + type.getSimpleName() + " (RFC 3339)";
        }
        return "an object";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
