package dev.footfall.common.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * What happens at the HTTP edge, before and after the REST resources: every request gets an {@code X-Request-Id} (taken
 * from the gateway or made here), and errors raised by the HTTP layer itself (unknown path, body over the limit) are
 * answered as problem+json like every other error.
 */
@ApplicationScoped
public class HttpEdges {

    public static final String REQUEST_ID = "X-Request-Id";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ObjectMapper mapper;
    private final long maxBodySize;

    HttpEdges(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") String maxBodySize) {
        this.mapper = mapper;
        this.maxBodySize = new MemorySizeConverter().convert(maxBodySize).asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::requestId);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        router.route().last().handler(ctx -> write(ctx, Problems.forStatus(404, null)));
    }

    private void requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader(REQUEST_ID);
        if (id == null || !SAFE_ID.matcher(id).matches()) {
            id = newRequestId();
        }
        MDC.put("request_id", id);
        ctx.response().putHeader(REQUEST_ID, id);
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
                && !Problems.isDependencyDown(ctx.failure()))) {
            ctx.next();
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
        try {
            ctx.response().setStatusCode(problem.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(mapper.writeValueAsString(problem));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.response().setStatusCode(problem.status()).end();
        }
    }
}
