package dev.footfall.count.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.count.model.Doorway;
import dev.footfall.count.model.DoorwayRequest;
import dev.footfall.count.model.SpaceRequest;
import dev.footfall.count.service.TopologyService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/doorways")
@Tag(name = "Doorways")
@Produces(MediaType.APPLICATION_JSON)
public class DoorwayResource {

    private final TopologyService topology;
    private final Tenant tenant;

    DoorwayResource(TopologyService topology, Tenant tenant) {
        this.topology = topology;
        this.tenant = tenant;
    }

    @PUT
    @Path("/{doorway_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a doorway or change its links",
            description = "Links valid until effective_from close there; events from then on are re-attributed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "between A and B",
            value = "{\"name\": \"Doorway Z\", \"spaces\": [{\"space_id\": \"space-a\", \"direction\": 1}, "
                    + "{\"space_id\": \"space-b\", \"direction\": -1}], \"effective_from\": \"2018-02-24T00:00:00Z\"}")))
    public Uni<Response> put(
            @PathParam("doorway_id") @Pattern(regexp = SpaceRequest.SPACE_ID,
                    message = "must be 1-64 characters of A-Z a-z 0-9 _ . -, not . or ..") String doorwayId,
            @Valid @NotNull DoorwayRequest request) {
        return topology.putDoorway(tenant.id(), doorwayId, request)
                .map(saved -> Response.status(saved.created() ? 201 : 200).entity(saved.value()).build());
    }

    @GET
    @Path("/{doorway_id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A doorway with its current links and link history")
    public Uni<Doorway> get(@PathParam("doorway_id") String doorwayId) {
        return topology.doorway(tenant.id(), doorwayId);
    }
}
