package dev.footfall.analytics.rest.warehouse;

import dev.footfall.analytics.model.warehouse.Erasure;
import dev.footfall.analytics.model.warehouse.EventSignup;
import dev.footfall.analytics.model.warehouse.GoldPage;
import dev.footfall.analytics.model.warehouse.GroupGrowth;
import dev.footfall.analytics.model.warehouse.MonthlyActive;
import dev.footfall.analytics.model.warehouse.QualityReport;
import dev.footfall.analytics.model.warehouse.Retention;
import dev.footfall.analytics.model.warehouse.SourceGeneration;
import dev.footfall.analytics.model.warehouse.TopGroup;
import dev.footfall.analytics.model.warehouse.WarehouseRun;
import dev.footfall.analytics.service.warehouse.SourceGenerator;
import dev.footfall.analytics.service.warehouse.WarehouseCareService;
import dev.footfall.analytics.service.warehouse.WarehouseGoldService;
import dev.footfall.analytics.service.warehouse.WarehouseRunService;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/**
 * The community-events warehouse: source generator, runs, gold tables, quality, erasure, retention. Everything here
 * is the caller's tenant's: its own source, layers, runs and erasures; another tenant's run is answered like a
 * missing one.
 */
@Path("/v1/warehouse")
@Tag(name = "Warehouse")
@Produces(MediaType.APPLICATION_JSON)
public class WarehouseResource {

    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    private final WarehouseRunService runs;
    private final WarehouseGoldService gold;
    private final WarehouseCareService care;
    private final SourceGenerator generator;
    private final Tenant tenant;

    WarehouseResource(WarehouseRunService runs, WarehouseGoldService gold, WarehouseCareService care,
            SourceGenerator generator, Tenant tenant) {
        this.runs = runs;
        this.gold = gold;
        this.care = care;
        this.generator = generator;
        this.tenant = tenant;
    }

    @POST
    @Path("/runs")
    @ResponseStatus(202)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Start a run (bronze, silver, gold) in the background; 409 while another run holds the lock")
    public Uni<WarehouseRun> start() {
        return runs.start(tenant.id(), "api");
    }

    @GET
    @Path("/runs")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The run log, newest first")
    public Uni<List<WarehouseRun>> runs(@QueryParam("limit") String limit) {
        return runs.runs(tenant.id(), QueryParams.optionalInt("limit", limit, 20, 1, 500));
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "One run: status, phase, and per layer the rows written per table")
    public Uni<WarehouseRun> run(@PathParam("id") String id) {
        return runs.run(tenant.id(), QueryParams.optionalInt("id", id, 0, 1, Integer.MAX_VALUE));
    }

    @GET
    @Path("/gold/event-signups")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "RSVP sign-up rate per event (yes + guests over rsvp_limit), newest first; filters country, "
            + "group_id, from/to on the start time")
    public Uni<GoldPage<EventSignup>> signups(@QueryParam("country") String country,
            @QueryParam("group_id") String groupId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        Instant f = QueryParams.optionalInstant("from", from);
        Instant t = QueryParams.optionalInstant("to", to);
        return gold.signups(tenant.id(), country(country), id("group_id", groupId), f, t, limit(limit), offset(offset));
    }

    @GET
    @Path("/gold/monthly-active-members")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Members who answered an RSVP in the month, per country; from/to are months (YYYY-MM), to exclusive")
    public Uni<GoldPage<MonthlyActive>> monthlyActive(@QueryParam("country") String country,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("offset") String offset) {
        return gold.monthlyActive(tenant.id(), country(country), month("from", from), month("to", to), limit(limit),
                offset(offset));
    }

    @GET
    @Path("/gold/group-growth")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "New and total members per group and month; filters group_id, country, from/to months")
    public Uni<GoldPage<GroupGrowth>> growth(@QueryParam("group_id") String groupId,
            @QueryParam("country") String country, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return gold.growth(tenant.id(), id("group_id", groupId), country(country), month("from", from),
                month("to", to), limit(limit), offset(offset));
    }

    @GET
    @Path("/gold/top-groups")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The top groups per country by attendance; top = groups per country (default and most 10)")
    public Uni<GoldPage<TopGroup>> topGroups(@QueryParam("country") String country, @QueryParam("top") String top,
            @QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return gold.topGroups(tenant.id(), country(country), QueryParams.optionalInt("top", top, 10, 1, 100),
                limit(limit), offset(offset));
    }

    @GET
    @Path("/quality")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Data-quality checks: violations and sample keys per documented check")
    public Uni<QualityReport> quality() {
        return gold.quality(tenant.id());
    }

    @DELETE
    @Path("/members/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "GDPR: erase a member from every layer and the key map; later runs skip their source rows")
    public Uni<Erasure> erase(@PathParam("id") String id) {
        return care.erase(tenant.id(), id("id", id));
    }

    @POST
    @Path("/retention")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Run the RSVP retention of the caller's tenant now (also scheduled, for every tenant)")
    public Uni<Retention> retain() {
        return care.retain(tenant.id());
    }

    @POST
    @Path("/source/generate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the tenant's source with a deterministic community of about `scale` RSVPs (resets "
            + "the tenant's warehouse)")
    public Uni<SourceGeneration> generate(@QueryParam("scale") String scale, @QueryParam("seed") String seed,
            @QueryParam("as_of") String asOf) {
        return generator.generate(tenant.id(), QueryParams.optionalLong("scale", scale, 10_000, 100, 50_000_000),
                QueryParams.optionalLong("seed", seed, 1, Long.MIN_VALUE, Long.MAX_VALUE), QueryParams.optionalInstant("as_of", asOf));
    }

    @POST
    @Path("/source/mutate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change about `fraction` of the source now (RSVP answers, new and deleted RSVPs, members, events)")
    public Uni<SourceGeneration> mutate(@QueryParam("fraction") String fraction, @QueryParam("seed") String seed) {
        double f;
        try {
            f = fraction == null || fraction.isBlank() ? 0.01 : Double.parseDouble(fraction.trim());
        } catch (NumberFormatException e) {
            f = -1;
        }
        if (!(f > 0 && f <= 1)) {
            throw ProblemException.badRequest("fraction", "must be a number in (0, 1]");
        }
        return generator.mutate(tenant.id(), f,
                QueryParams.optionalLong("seed", seed, 2, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    private int limit(String value) {
        return QueryParams.optionalInt("limit", value, 100, 1, gold.maxPageSize());
    }

    private static int offset(String value) {
        return QueryParams.optionalInt("offset", value, 0, 0, Integer.MAX_VALUE);
    }

    private static String country(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!COUNTRY.matcher(value.trim()).matches()) {
            throw ProblemException.badRequest("country", "must be an ISO 3166-1 alpha-2 code");
        }
        return value.trim().toUpperCase(Locale.ROOT);
    }

    private static Long id(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return QueryParams.optionalLong(name, value, 0, 1, Long.MAX_VALUE);
    }

    private static LocalDate month(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        if (MONTH.matcher(v).matches()) {
            v = v + "-01";
        }
        return QueryParams.requiredDate(name, v).withDayOfMonth(1);
    }
}
