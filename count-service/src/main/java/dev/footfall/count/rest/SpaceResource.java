package dev.footfall.count.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.count.model.Space;
import dev.footfall.count.model.SpaceRequest;
import dev.footfall.count.service.SpaceService;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/spaces")
@Tag(name = "Spaces")
@Produces(MediaType.APPLICATION_JSON)
public class SpaceResource {

    private final SpaceService spaces;
    private final Tenant tenant;

    SpaceResource(SpaceService spaces, Tenant tenant) {
        this.spaces = spaces;
        this.tenant = tenant;
    }

    @PUT
    @Path("/{space_id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create or replace a space")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Replaced")
    public Uni<Response> put(
            @PathParam("space_id") @Pattern(regexp = SpaceRequest.SPACE_ID,
                    message = "must be 1-64 characters of A-Z a-z 0-9 _ . -, not . or ..") String spaceId,
            @Valid @NotNull SpaceRequest request) {
        return spaces.put(tenant.id(), spaceId, request)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result.space()).build());
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "List spaces")
    public Uni<List<Space>> list() {
        return spaces.list(tenant.id());
    }

    @GET
    @Path("/{space_id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Get one space")
    @APIResponse(responseCode = "404", description = "Unknown space")
    public Uni<Space> get(@PathParam("space_id") String spaceId) {
        return spaces.get(tenant.id(), spaceId);
    }
}
