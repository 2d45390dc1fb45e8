package dev.footfall.analytics.rest.session;

import dev.footfall.analytics.model.session.SessionList;
import dev.footfall.analytics.model.session.SessionRebuild;
import dev.footfall.analytics.model.session.SessionSummary;
import dev.footfall.analytics.model.session.SessionUpload;
import dev.footfall.analytics.service.session.SessionImportService;
import dev.footfall.analytics.service.session.SessionSampleGenerator;
import dev.footfall.analytics.service.session.SessionService;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.common.web.QueryParams;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * App sessions: CSV import of the scooter app's events, a user's sessions, the funnel summary. Each tenant's uploads,
 * sessions, summaries and rebuilds are its own.
 */
@Path("/v1/sessions")
@Tag(name = "App sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public static final String CSV = "text/csv";
    private static final long MAX_SAMPLE_ROWS = 5_000_000;

    private final SessionImportService imports;
    private final SessionService sessions;
    private final Tenant tenant;

    SessionResource(SessionImportService imports, SessionService sessions, Tenant tenant) {
        this.imports = imports;
        this.sessions = sessions;
        this.tenant = tenant;
    }

    @POST
    @Path("/events")
    @Consumes({CSV, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Blocking
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Import the app's CSV export (streamed; de-duplicated by content; bad rows reported by line). "
            + "A log import, not a transaction: valid rows are kept even when others are rejected.")
    public SessionUpload upload(InputStream body) {
        return imports.importCsv(tenant.id(), body);
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A user's sessions (anonymous_id, case-insensitive, every device) starting in [from, to), with their events")
    public Uni<SessionList> sessionsOf(
            @QueryParam("anonymous_id") String anonymousId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @Parameter(description = "Most sessions (default 100, at most 1000)") @QueryParam("limit") String limit) {
        if (anonymousId == null || anonymousId.isBlank()) {
            throw ProblemException.badRequest("anonymous_id", "is required");
        }
        Instant f = QueryParams.optionalInstant("from", from);
        Instant t = QueryParams.optionalInstant("to", to);
        checkRange(f, t);
        return sessions.sessionsOf(tenant.id(), anonymousId.trim(), f, t,
                QueryParams.optionalInt("limit", limit, 100, 1, 1000));
    }

    @GET
    @Path("/summary")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Funnel figures of the sessions starting in [from, to): sessions, with_intent, booked, shares, "
            + "conversion, median duration; per city or app version with group_by")
    public Uni<SessionSummary> summary(@QueryParam("from") String from, @QueryParam("to") String to,
            @Parameter(description = "city or app_version") @QueryParam("group_by") String groupBy) {
        Instant f = QueryParams.requiredInstant("from", from);
        Instant t = QueryParams.requiredInstant("to", to);
        checkRange(f, t);
        String group = groupBy == null || groupBy.isBlank() || groupBy.equals("none") ? null : groupBy.trim();
        if (group != null && !group.equals("city") && !group.equals("app_version")) {
            throw ProblemException.badRequest("group_by", "must be city or app_version");
        }
        return sessions.summary(tenant.id(), f, t, group);
    }

    @POST
    @Path("/rebuild")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rebuild every session of the caller's tenant from its imported events (the incremental "
            + "rebuild always equals this)")
    public Uni<SessionRebuild> rebuild() {
        return sessions.rebuildAll(tenant.id());
    }

    @GET
    @Path("/sample.csv")
    @Produces(CSV)
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "A realistic, deterministic CSV export of the app (for demos, tests and benchmarks), streamed")
    public StreamingOutput sample(@QueryParam("rows") String rows, @QueryParam("seed") String seed) {
        long n = QueryParams.optionalLong("rows", rows, 1000, 1, MAX_SAMPLE_ROWS);
        long s = QueryParams.optionalLong("seed", seed, 1, Long.MIN_VALUE, Long.MAX_VALUE);
        return output -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 1 << 16);
            SessionSampleGenerator.write(n, s, writer);
        };
    }

    private static void checkRange(Instant from, Instant to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
    }
}
