package dev.footfall.holiday.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationRequest;
import dev.footfall.holiday.service.LocationService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/locations")
@Tag(name = "Locations")
@Produces(MediaType.APPLICATION_JSON)
public class LocationResource {

    private final LocationService locations;
    private final Tenant tenant;

    LocationResource(LocationService locations, Tenant tenant) {
        this.locations = locations;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "List locations", description = "Active locations; include_inactive=true lists deactivated ones too")
    public Uni<List<Location>> list(@QueryParam("include_inactive") @DefaultValue("false") boolean includeInactive) {
        return locations.list(tenant.id(), includeInactive);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a location")
    @APIResponse(responseCode = "201", description = "Created")
    public Uni<Response> create(@Valid @NotNull LocationRequest request) {
        return locations.create(tenant.id(), request).map(location -> Response
                .created(URI.create("/v1/locations/" + location.locationId())).entity(location).build());
    }

    @GET
    @Path("/{location_id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Get one location")
    public Uni<Location> get(@PathParam("location_id") UUID id) {
        return locations.get(tenant.id(), id);
    }

    @DELETE
    @Path("/{location_id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deactivate a location", description = "History is kept; holiday queries for it answer 404")
    public Uni<Location> deactivate(@PathParam("location_id") UUID id) {
        return locations.deactivate(tenant.id(), id);
    }
}
