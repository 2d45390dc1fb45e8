package dev.footfall.common.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * What happens at the HTTP edge, before and after the REST resources: every request gets an {@code X-Request-Id} (taken
 * from the gateway or made here), a request target with control characters, invalid UTF-8 or malformed escapes is
 * refused before anything decodes it (see {@link RequestTarget}), so is a body without a Content-Type or with one that
 * does not parse, and errors raised by the HTTP layer itself (unknown path, body over the limit) are answered as
 * problem+json like every other error.
 */
@ApplicationScoped
public class HttpEdges {

    public static final String REQUEST_ID = "X-Request-Id";
    private static final Logger LOG = Logger.getLogger(HttpEdges.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ObjectMapper mapper;
    private final long maxBodySize;

    HttpEdges(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") String maxBodySize) {
        this.mapper = mapper;
        this.maxBodySize = new MemorySizeConverter().convert(maxBodySize).asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::edge);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().last().handler(ctx -> write(ctx, Problems.forStatus(404, null)));
        // Failures Vert.x Web raises while it chooses a route (an IllegalArgumentException matching a path) skip the
        // failure handlers and end with a bare status, unless the router has an error handler for that status.
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 431, 500, 501}) {
            router.errorHandler(status, this::unrouted);
        }
    }

    private void unrouted(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
        if (status >= 500 && ctx.failure() != null) {
            LOG.error("Request failed outside the routes", ctx.failure());
        }
        String detail = status == 400 ? RequestTarget.invalid(ctx.request().uri()) : null;
        write(ctx, Problems.forStatus(status, detail));
    }

    private void edge(RoutingContext ctx) {
        String id = ctx.request().getHeader(REQUEST_ID);
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            id = newRequestId();
        }
        MDC.put("request_id", id);
        ctx.response().putHeader(REQUEST_ID, id);
        String invalidTarget = RequestTarget.invalid(ctx.request().uri());
        if (invalidTarget != null) {
            write(ctx, Problems.forStatus(400, invalidTarget));
            return;
        }
        String unsupported = unsupportedBodyType(ctx);
        if (unsupported != null) {
            write(ctx, Problem.of(415, "unsupported-media-type", "Unsupported media type", unsupported));
            return;
        }
        if (declaredLength(ctx) > maxBodySize) {
            // Answered here so that the client gets a problem body; Quarkus' own limit check answers with none.
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            write(ctx, Problems.forStatus(413, null));
            return;
        }
        ctx.next();
    }

    /**
     * A random (version 4 form) UUID from the thread's own generator: request ids only need to be unique, not
     * unguessable, and {@code UUID.randomUUID()} takes a lock on one shared SecureRandom on every request.
     */
    static String newRequestId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /**
     * A body needs a Content-Type that parses: without one the REST layer would take any endpoint's type (RFC 9110 lets
     * a server refuse rather than guess), and one it cannot parse failed there with a 500.
     */
    private static String unsupportedBodyType(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            boolean body = declaredLength(ctx) > 0 || ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
            return body ? "A request body needs a Content-Type" : null;
        }
        try {
            MediaType.valueOf(type);
            return null;
        } catch (IllegalArgumentException e) {
            return "The Content-Type header is not a media type";
        }
    }

    private static long declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || status < 400 || (status >= 500 && ctx.failure() != null
                && !Problems.isDependencyDown(ctx.failure()) && Problems.fromDatabase(ctx.failure()) == null)) {
            ctx.next();
            return;
        }
        Problem refused = ctx.failure() == null ? null : Problems.fromDatabase(ctx.failure());
        if (refused != null) {
            write(ctx, refused);
            return;
        }
        if (ctx.failure() != null && Problems.isDependencyDown(ctx.failure())) {
            ctx.response().putHeader("Retry-After", "5");
            write(ctx, Problems.forStatus(503, null));
            return;
        }
        write(ctx, Problems.forStatus(status, null));
    }

    private void write(RoutingContext ctx, Problem problem) {
        if (!ctx.request().isEnded() && !"close".equalsIgnoreCase(ctx.response().headers().get(HttpHeaders.CONNECTION))) {
            // Read and drop the rest of the body, so that the connection can carry the next request. Answered with
            // the body unread (Quarkus pauses it), the connection was closed, and the gateway, reusing it, failed
            // the next request with a 502.
            ctx.request().handler(chunk -> { }).resume();
        }
        try {
            ctx.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(mapper.writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}
