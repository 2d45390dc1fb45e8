package dev.footfall.count.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.count.model.Placement;
import dev.footfall.count.model.PlacementRequest;
import dev.footfall.count.service.TopologyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/dpus")
@Tag(name = "Sensors (DPUs)")
@Produces(MediaType.APPLICATION_JSON)
public class DpuResource {

    private final TopologyService topology;
    private final Tenant tenant;

    DpuResource(TopologyService topology, Tenant tenant) {
        this.topology = topology;
        this.tenant = tenant;
    }

    @POST
    @Path("/{dpu_id}/placements")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Place a sensor on a doorway (or uninstall it with doorway_id null)",
            description = "Ends the previous placement at installed_at; events from then on are re-attributed.")
    public Uni<Response> place(@PathParam("dpu_id") @Size(min = 1, max = 64) String dpuId,
            @Valid @NotNull PlacementRequest request) {
        return topology.place(tenant.id(), dpuId, request).map(p -> Response.status(201).entity(p).build());
    }

    @GET
    @Path("/{dpu_id}/placements")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A sensor's placement history, oldest first")
    public Uni<List<Placement>> placements(@PathParam("dpu_id") String dpuId) {
        return topology.placements(tenant.id(), dpuId);
    }
}
