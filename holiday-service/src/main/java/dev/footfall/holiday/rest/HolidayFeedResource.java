package dev.footfall.holiday.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.service.HolidayQuery;
import dev.footfall.holiday.service.HolidayQueryService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A location's holidays as an iCalendar feed; its own class because its path is not under {@code .../holidays/}. */
@Path("/v1/locations/{location_id}/holidays.ics")
@Tag(name = "Holidays")
public class HolidayFeedResource {

    private final HolidayQueryService holidays;
    private final HolidayConfig config;
    private final Tenant tenant;

    HolidayFeedResource(HolidayQueryService holidays, HolidayConfig config, Tenant tenant) {
        this.holidays = holidays;
        this.config = config;
        this.tenant = tenant;
    }

    @GET
    @Produces(ICalendar.MEDIA_TYPE)
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Holidays of one location as an iCalendar feed (RFC 5545)",
            description = "One all-day VEVENT per holiday, with a UID that stays the same across versions")
    public Uni<Response> ics(@PathParam("location_id") UUID id,
            @QueryParam("from") @Parameter(example = "2025-01-01", required = true) String from,
            @QueryParam("to") @Parameter(example = "2025-12-31", required = true) String to,
            @QueryParam("types") @Parameter(description = LocationHolidayResource.TYPES_DOC) List<String> types,
            @QueryParam("as_of") @Parameter(description = LocationHolidayResource.AS_OF_DOC) String asOf,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) @Parameter(description = LocationHolidayResource.IF_NONE_MATCH_DOC)
            String ifNoneMatch) {
        HolidayQuery query = HolidayQuery.of(from, to, types, asOf, config.maxRangeYears());
        return holidays.rendered(tenant.id(), id, query, ICalendar.FORMAT).map(rendered -> RenderedAnswers
                .response(rendered, ifNoneMatch, ICalendar.MEDIA_TYPE + ";charset=utf-8")
                .header("Content-Disposition", "inline; filename=\"holidays-" + id + ".ics\"").build());
    }
}
