package dev.footfall.holiday.rest;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.HolidaysAnswer;
import dev.footfall.holiday.model.RefreshReport;
import dev.footfall.holiday.service.HolidayQuery;
import dev.footfall.holiday.service.HolidayQueryService;
import dev.footfall.holiday.service.RefreshService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Holidays of several locations, and the refresh. */
@Path("/v1/holidays")
@Tag(name = "Holidays")
@Produces(MediaType.APPLICATION_JSON)
public class HolidayResource {

    private final HolidayQueryService holidays;
    private final RefreshService refresh;
    private final HolidayConfig config;
    private final Tenant tenant;

    HolidayResource(HolidayQueryService holidays, RefreshService refresh, HolidayConfig config, Tenant tenant) {
        this.holidays = holidays;
        this.refresh = refresh;
        this.config = config;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Holidays of several locations", description = "One entry per location_id, in the order asked")
    public Uni<HolidaysAnswer> forLocations(
            @QueryParam("location_id") @Parameter(description = "Repeat for each location (at most 100)") List<String> ids,
            @QueryParam("from") @Parameter(example = "2025-01-01", required = true) String from,
            @QueryParam("to") @Parameter(example = "2025-12-31", required = true) String to,
            @QueryParam("types") @Parameter(description = LocationHolidayResource.TYPES_DOC) List<String> types,
            @QueryParam("as_of") @Parameter(description = LocationHolidayResource.AS_OF_DOC) String asOf) {
        List<UUID> locationIds = locationIds(ids);
        HolidayQuery query = HolidayQuery.of(from, to, types, asOf, config.maxRangeYears());
        return holidays.holidays(tenant.id(), locationIds, query);
    }

    @POST
    @Path("/refresh")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Refresh the tenant's active locations now",
            description = "Waits for a refresh running on another replica; a location whose provider fails keeps its version")
    public Uni<RefreshReport> refresh() {
        return refresh.refreshWaiting(tenant.id());
    }

    private static List<UUID> locationIds(List<String> values) {
        List<UUID> ids = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (part.isBlank()) {
                        continue;
                    }
                    try {
                        ids.add(UUID.fromString(part.trim()));
                    } catch (IllegalArgumentException e) {
                        throw ProblemException.badRequest("location_id", "\"" + part.trim() + "\" is not a UUID");
                    }
                }
            }
        }
        if (ids.isEmpty()) {
            throw ProblemException.badRequest("location_id", "is required (repeat it for several locations)");
        }
        if (ids.size() > 100) {
            throw ProblemException.badRequest("location_id", "at most 100 locations per request");
        }
        return ids;
    }
}
