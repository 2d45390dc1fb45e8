package dev.footfall.holiday.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.holiday.service.AnswerFormat;
import dev.footfall.holiday.service.HolidayCache;
import dev.footfall.holiday.service.HolidayQueryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.UncheckedIOException;

/**
 * Holiday answers as HTTP responses from their cached bytes: the JSON the REST layer would write for the same record
 * (written once per version by the same ObjectMapper), an ETag, and 304 for a matching {@code If-None-Match}.
 */
@ApplicationScoped
public class RenderedAnswers {

    /** Clients may keep an answer but must revalidate it (cheap: 304) since the next version may change it. */
    static final String CACHE_CONTROL = "private, no-cache";

    private final AnswerFormat json;

    RenderedAnswers(ObjectMapper mapper) {
        this.json = new AnswerFormat() {
            @Override
            public String name() {
                return "json";
            }

            @Override
            public byte[] render(HolidayQueryService.Answer answer) {
                try {
                    return mapper.writeValueAsBytes(answer.holidays());
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    AnswerFormat json() {
        return json;
    }

    /** 200 with the bytes, or 304 when the client already has them. */
    static Response.ResponseBuilder response(HolidayCache.Rendered rendered, String ifNoneMatch, String contentType) {
        Response.ResponseBuilder response = matches(ifNoneMatch, rendered.etag()) ? Response.notModified()
                : Response.ok(rendered.body(), contentType);
        return response.header(HttpHeaders.ETAG, rendered.etag()).header(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
    }

    /** RFC 9110 If-None-Match: "*" or a list of tags, compared weakly (a W/ prefix is ignored). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
