package dev.footfall.ingest.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.common.web.HttpEdges;
import dev.footfall.ingest.model.IngestResult;
import dev.footfall.ingest.service.EventParser;
import dev.footfall.ingest.service.IngestService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.web.QueryParams;
import dev.footfall.ingest.model.LoggedEvent;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/events")
@Tag(name = "Events")
public class EventResource {

    static final String NDJSON = "application/x-ndjson";

    private final EventParser parser;
    private final IngestService ingest;
    private final Tenant tenant;
    private final JsonWebToken token;

    EventResource(EventParser parser, IngestService ingest, Tenant tenant, JsonWebToken token) {
        this.parser = parser;
        this.ingest = ingest;
        this.tenant = tenant;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SENSOR, Roles.ADMIN})
    @Operation(summary = "Post sensor events",
            description = "One event object or a JSON array of up to 10,000. Answered 202 once the events are durable. "
                    + "A batch is all-or-nothing: one invalid event rejects it, naming every bad index and field.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "one", value = "{\"dpu_id\": \"423\", \"timestamp\": \"2018-02-24T08:45:21.893Z\", \"direction\": 1}"),
            @ExampleObject(name = "batch", value = "[{\"id\": \"e-1\", \"dpu_id\": 283, \"timestamp\": \"2018-02-24 17:24:25.493z\", \"direction\": -1},"
                    + " {\"id\": \"e-2\", \"dpu_id\": \"423\", \"timestamp\": \"2018-02-24T17:25:00+01:00\", \"direction\": 1}]")}))
    @APIResponse(responseCode = "202", description = "Durable",
            content = @Content(schema = @Schema(implementation = IngestResult.class)))
    @APIResponse(responseCode = "400", description = "Invalid events; nothing stored")
    @APIResponse(responseCode = "413", description = "Body or batch too large")
    public Uni<Response> postJson(byte[] body, @HeaderParam(HttpEdges.REQUEST_ID) String requestId) {
        return accept(Uni.createFrom().item(() -> parser.parseJson(body)), requestId);
    }

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SENSOR, Roles.ADMIN})
    @Operation(summary = "Post sensor events as NDJSON", description = "One event object per line; same rules as JSON")
    @RequestBody(content = @Content(mediaType = NDJSON, examples = @ExampleObject(name = "ndjson",
            value = "{\"dpu_id\": \"423\", \"timestamp\": \"2018-02-24T08:45:21.893Z\", \"direction\": 1}\n"
                    + "{\"dpu_id\": \"423\", \"timestamp\": \"2018-02-24T08:47:02.100Z\", \"direction\": -1}")))
    @APIResponse(responseCode = "202", description = "Durable",
            content = @Content(schema = @Schema(implementation = IngestResult.class)))
    public Uni<Response> postNdjson(byte[] body, @HeaderParam(HttpEdges.REQUEST_ID) String requestId) {
        return accept(Uni.createFrom().item(() -> parser.parseNdjson(body)), requestId);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Read a sensor's raw events", description = "Events of one sensor with timestamp in [from, to), "
            + "oldest first, as received (with arrival time and source)")
    public Uni<List<LoggedEvent>> list(
            @QueryParam("dpu_id") @Parameter(required = true, example = "423") String dpuId,
            @QueryParam("from") @Parameter(example = "2018-02-24T00:00:00Z") String from,
            @QueryParam("to") @Parameter(example = "2018-02-25T00:00:00Z") String to,
            @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(10000) int limit) {
        if (dpuId == null || dpuId.isBlank()) {
            throw ProblemException.badRequest("dpu_id", "is required");
        }
        Instant start = from == null ? Instant.EPOCH : QueryParams.requiredInstant("from", from);
        Instant end = to == null ? Instant.parse("9999-01-01T00:00:00Z") : QueryParams.requiredInstant("to", to);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        return ingest.find(tenant.id(), dpuId, start, end, limit);
    }

    private Uni<Response> accept(Uni<List<dev.footfall.ingest.model.SensorEvent>> parsed, String requestId) {
        String source = token.getName() == null ? "unknown" : token.getName();
        String tenantId = tenant.id();
        return parsed.chain(events -> ingest.ingest(events, source, tenantId, requestId))
                .map(result -> Response.accepted(result).build());
    }
}
