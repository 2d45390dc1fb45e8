package dev.footfall.count.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.common.web.QueryParams;
import dev.footfall.count.model.CountBuckets;
import dev.footfall.count.model.Replay;
import dev.footfall.count.model.SpaceCount;
import dev.footfall.count.service.CountService;
import dev.footfall.count.service.RealtimeService;
import dev.footfall.count.service.ReplayService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/spaces")
@Tag(name = "Counts")
@Produces(MediaType.APPLICATION_JSON)
public class CountResource {

    private final CountService counts;
    private final ReplayService replays;
    private final RealtimeService realtime;
    private final Tenant tenant;

    CountResource(CountService counts, ReplayService replays, RealtimeService realtime, Tenant tenant) {
        this.counts = counts;
        this.replays = replays;
        this.realtime = realtime;
        this.tenant = tenant;
    }

    @GET
    @Path("/{space_id}/count")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A space's count", description = "Without `at`: the real-time count and the timestamp of the "
            + "last applied event. With `at`: the reconciled count as of that instant (every event and reset at or "
            + "before it). `count` is null when the space has no data yet.")
    @APIResponse(responseCode = "404", description = "Unknown space")
    public Uni<SpaceCount> count(@PathParam("space_id") String spaceId,
            @QueryParam("at") @Parameter(example = "2018-02-24T18:00:00Z") String at) {
        return at == null ? counts.realtime(tenant.id(), spaceId)
                : counts.asOf(tenant.id(), spaceId, QueryParams.requiredInstant("at", at));
    }

    @GET
    @Path("/{space_id}/counts")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A space's counts in buckets", description = "Buckets [start, end) of `interval` (1m to 1d) "
            + "covering [from, to), aligned to local midnight in the space's time zone.")
    public Uni<CountBuckets> buckets(@PathParam("space_id") String spaceId,
            @QueryParam("from") @Parameter(required = true, example = "2018-02-24T00:00:00Z") String from,
            @QueryParam("to") @Parameter(required = true, example = "2018-02-25T00:00:00Z") String to,
            @QueryParam("interval") @Parameter(example = "1h") String interval) {
        return counts.buckets(tenant.id(), spaceId, QueryParams.requiredInstant("from", from), QueryParams.requiredInstant("to", to),
                interval == null ? "1h" : interval);
    }

    @POST
    @Path("/{space_id}/replay")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Recompute a window of history from the raw event log",
            description = "Answers 202 at once; follow the Location for progress.")
    @APIResponse(responseCode = "202", description = "Queued")
    public Uni<Response> replay(@PathParam("space_id") String spaceId,
            @QueryParam("from") @Parameter(required = true, example = "2018-02-24T00:00:00Z") String from,
            @QueryParam("to") @Parameter(required = true, example = "2018-02-25T00:00:00Z") String to) {
        return replays.request(tenant.id(), spaceId, QueryParams.requiredInstant("from", from), QueryParams.requiredInstant("to", to))
                .map(r -> Response.accepted(r)
                        .location(URI.create("/v1/spaces/" + spaceId + "/replays/" + r.replayId())).build());
    }

    @GET
    @Path("/{space_id}/replays/{replay_id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A replay's progress")
    public Uni<Replay> replayStatus(@PathParam("space_id") String spaceId, @PathParam("replay_id") long replayId) {
        return replays.get(tenant.id(), spaceId, replayId);
    }

    @POST
    @Path("/realtime/rebuild")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rebuild the tenant's real-time counters from the history",
            description = "Done by itself once Redis is back after an outage; this forces it for the caller's tenant.")
    public Uni<RealtimeService.Rebuilt> rebuild() {
        return realtime.rebuild(tenant.id());
    }
}
