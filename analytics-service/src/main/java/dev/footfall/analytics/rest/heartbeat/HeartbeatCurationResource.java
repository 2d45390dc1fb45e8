package dev.footfall.analytics.rest.heartbeat;

import dev.footfall.analytics.model.heartbeat.CurationRun;
import dev.footfall.analytics.model.heartbeat.CurationRuns;
import dev.footfall.analytics.service.heartbeat.CurationService;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Heartbeat curation on demand, and the load log. */
@Path("/v1/heartbeats/curation")
@Tag(name = "Heartbeat curation")
@Produces(MediaType.APPLICATION_JSON)
public class HeartbeatCurationResource {

    private final CurationService curation;

    HeartbeatCurationResource(CurationService curation) {
        this.curation = curation;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run curation now; answers with the finished run (409 while another run holds the lock)")
    public Uni<CurationRun> curate() {
        return curation.curateNow();
    }

    @GET
    @Path("/runs")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The load log, newest first, with the progress of a running run")
    public Uni<CurationRuns> runs(@QueryParam("limit") String limit) {
        int n = limit == null || limit.isBlank() ? 20 : parse("limit", limit, 1, 500);
        return curation.runs(n).map(CurationRuns::new);
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "One run of the load log")
    public Uni<CurationRun> run(@PathParam("id") String id) {
        return curation.run(parse("id", id, 1, Integer.MAX_VALUE));
    }

    private static int parse(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(name, "must be an integer from " + min + " to " + max);
    }
}
