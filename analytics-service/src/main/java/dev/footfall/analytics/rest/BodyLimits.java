package dev.footfall.analytics.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.common.problem.Problem;
import dev.footfall.common.problem.Problems;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Two body limits: the service-wide limit (quarkus.http.limits.max-body-size) is raised for the CSV upload of app
 * sessions, which is streamed; every other endpoint reads its body whole, so it keeps the small JSON limit here.
 */
@ApplicationScoped
public class BodyLimits {

    static final String UPLOAD_PATH = "/v1/sessions/events";

    private final ObjectMapper mapper;
    private final long jsonLimit;

    BodyLimits(ObjectMapper mapper, AnalyticsConfig config) {
        this.mapper = mapper;
        this.jsonLimit = new MemorySizeConverter().convert(config.jsonMaxBodySize()).asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !ctx.normalizedPath().equals(UPLOAD_PATH) && declared(length) > jsonLimit) {
            Problem problem = Problems.forStatus(413, null);
            try {
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, "close")
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end(mapper.writeValueAsString(problem));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                ctx.response().setStatusCode(413).end();
            }
            return;
        }
        ctx.next();
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
