package dev.footfall.holiday.rest;

import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.HolidayVersions;
import dev.footfall.holiday.model.LocationHolidays;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A location's holidays and their versions. (The iCalendar feed is {@link HolidayFeedResource}.) */
@Path("/v1/locations/{location_id}/holidays")
@Tag(name = "Holidays")
@Produces(MediaType.APPLICATION_JSON)
public class LocationHolidayResource {

    static final String TYPES_DOC = "Holiday types to add to the days off (public, bank): optional, school, authorities, "
            + "observance, or all; comma-separated or repeated";
    static final String IF_NONE_MATCH_DOC = "The ETag of an answer the client has: 304 while it is still the answer";
    static final String AS_OF_DOC = "Answer as the version current at this instant (RFC 3339, or a date meaning its start, UTC)";

    /** What the REST layer writes for a JSON body; kept so that the cached bytes go out exactly as before. */
    static final String JSON_TYPE = "application/json;charset=UTF-8";

    private final HolidayQueryService holidays;
    private final HolidayConfig config;
    private final RenderedAnswers answers;
    private final Tenant tenant;

    LocationHolidayResource(HolidayQueryService holidays, HolidayConfig config, RenderedAnswers answers,
            Tenant tenant) {
        this.holidays = holidays;
        this.config = config;
        this.answers = answers;
        this.tenant = tenant;
    }

    /** Written from the cached bytes of the answer (see {@link RenderedAnswers}); 304 when If-None-Match matches. */
    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Holidays of one location", description = "Inclusive range of at most 10 years, sorted by date")
    @APIResponse(responseCode = "200", description = "The holidays, with an ETag",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationHolidays.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
    public Uni<Response> forLocation(@PathParam("location_id") UUID id,
            @QueryParam("from") @Parameter(example = "2025-01-01", required = true) String from,
            @QueryParam("to") @Parameter(example = "2025-12-31", required = true) String to,
            @QueryParam("types") @Parameter(description = TYPES_DOC) List<String> types,
            @QueryParam("as_of") @Parameter(description = AS_OF_DOC) String asOf,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) @Parameter(description = IF_NONE_MATCH_DOC) String ifNoneMatch) {
        HolidayQuery query = HolidayQuery.of(from, to, types, asOf, config.maxRangeYears());
        return holidays.rendered(tenant.id(), id, query, answers.json())
                .map(rendered -> RenderedAnswers.response(rendered, ifNoneMatch, JSON_TYPE).build());
    }

    @GET
    @Path("/versions")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Versions of a location's holidays", description = "Newest first; kept after deactivation")
    public Uni<HolidayVersions> versions(@PathParam("location_id") UUID id) {
        return holidays.versions(tenant.id(), id);
    }
}
