package dev.footfall.analytics.rest.heartbeat;

import dev.footfall.analytics.model.heartbeat.CurationRun;
import dev.footfall.analytics.model.heartbeat.CurationRuns;
import dev.footfall.analytics.service.heartbeat.CurationService;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
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

/** Heartbeat curation of the caller's tenant on demand, and the tenant's load log. */
@Path("/v1/heartbeats/curation")
@Tag(name = "Heartbeat curation")
@Produces(MediaType.APPLICATION_JSON)
public class HeartbeatCurationResource {

    private final CurationService curation;
    private final Tenant tenant;

    HeartbeatCurationResource(CurationService curation, Tenant tenant) {
        this.curation = curation;
        this.tenant = tenant;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Curate the tenant's staged rows now; answers with the finished run (409 while a run of the "
            + "tenant is in progress)")
    public Uni<CurationRun> curate() {
        return curation.curateNow(tenant.id());
    }

    @GET
    @Path("/runs")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The tenant's load log, newest first, with the progress of a running run")
    public Uni<CurationRuns> runs(@QueryParam("limit") String limit) {
        int n = limit == null || limit.isBlank() ? 20 : parse("limit", limit, 1, 500);
        return curation.runs(tenant.id(), n).map(CurationRuns::new);
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "One run of the tenant's load log")
    public Uni<CurationRun> run(@PathParam("id") String id) {
        return curation.run(tenant.id(), parse("id", id, 1, Integer.MAX_VALUE));
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
