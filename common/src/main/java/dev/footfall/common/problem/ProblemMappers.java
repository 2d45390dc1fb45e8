package dev.footfall.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers. Every answer is application/problem+json, and none carries a stack
 * trace: unexpected failures are logged here and answered with a generic 500.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problems.response(e.problem(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> Problem.FieldError.of(fieldOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        return Problems.response(Problem.validation(errors.size() + " invalid field(s)", errors), null);
    }

    // Listed one by one so that these win over the built-in mappers registered for the same classes.
    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class, InvalidFormatException.class, UnrecognizedPropertyException.class,
            ValueInstantiationException.class})
    public Response json(JsonProcessingException e) {
        return Problems.response(Problems.fromJson(e), null);
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e) {
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthorizedResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problems.response(Problem.of(403, "forbidden", "Forbidden",
                "The token's roles do not allow this operation"), null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        return Problems.response(Problems.forStatus(status, status >= 500 ? null : e.getMessage()), null);
    }

    @ServerExceptionMapper
    public Response any(Throwable e) {
        if (Problems.isDependencyDown(e)) {
            LOG.warnf("Dependency unavailable: %s", e.toString());
            return Problems.response(ProblemException.unavailable("A backing store").problem(), 5);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        if (causedBy(e, java.io.CharConversionException.class)) {
            // Jackson guessed another encoding from the first bytes (NULs read as UTF-32) and could not decode it.
            return Problems.response(Problem.of(400, "malformed-json", "Malformed JSON",
                    "The body is not JSON in UTF-8"), null);
        }
        Problem refused = Problems.fromDatabase(e);
        if (refused != null) {
            LOG.warnf("PostgreSQL refused a request's value: %s", e.toString());
            return Problems.response(refused, null);
        }
        LOG.error("Unexpected failure", e);
        return Problems.response(Problem.of(500, "internal", "Internal error",
                "The request could not be completed; the failure has been logged"), null);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthorizedResponse() {
        return Response.fromResponse(Problems.response(Problem.of(401, "unauthorized", "Unauthorized",
                "A valid bearer token is required"), null)).header("WWW-Authenticate", "Bearer").build();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        // Path is method.argN.field...; the client knows only the part after the argument.
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        String field = parts.length == 3 ? parts[2] : parts[parts.length - 1];
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

}
