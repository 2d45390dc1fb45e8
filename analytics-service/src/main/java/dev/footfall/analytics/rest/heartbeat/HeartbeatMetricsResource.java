package dev.footfall.analytics.rest.heartbeat;

import dev.footfall.analytics.model.heartbeat.GroupBy;
import dev.footfall.analytics.model.heartbeat.PercentileQuery;
import dev.footfall.analytics.model.heartbeat.PercentileReport;
import dev.footfall.analytics.model.heartbeat.ProjectMetrics;
import dev.footfall.analytics.service.heartbeat.PercentileService;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Roles;
import dev.footfall.common.security.Tenant;
import dev.footfall.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Metric discovery and percentiles over a project's curated heartbeats, in the caller's tenant. */
@Path("/v1/projects/{project_id}/metrics")
@Tag(name = "Heartbeat metrics")
@Produces(MediaType.APPLICATION_JSON)
public class HeartbeatMetricsResource {

    private static final List<BigDecimal> DEFAULT_PERCENTS =
            List.of(BigDecimal.valueOf(50), BigDecimal.valueOf(90), BigDecimal.valueOf(99));
    private static final int MAX_PERCENTS = 20;

    private final PercentileService percentiles;
    private final Tenant tenant;

    HeartbeatMetricsResource(PercentileService percentiles, Tenant tenant) {
        this.percentiles = percentiles;
        this.tenant = tenant;
    }

    @GET
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "The metric names of a project's heartbeats, with how many numeric values each has")
    public Uni<ProjectMetrics> metrics(@PathParam("project_id") String projectId) {
        return percentiles.metrics(tenant.id(), project(projectId));
    }

    @GET
    @Path("/{metric}/percentiles")
    @RolesAllowed({Roles.READER, Roles.ADMIN})
    @Operation(summary = "Exact percentiles (percentile_cont) of a metric over heartbeats with from <= captured_date < to")
    public Uni<PercentileReport> percentiles(
            @PathParam("project_id") String projectId,
            @PathParam("metric") String metric,
            @Parameter(description = "Percents in (0, 100), comma-separated or repeated; default 50,90,99",
                    example = "50,90,99") @QueryParam("p") List<String> p,
            @Parameter(description = "Start (inclusive): a date YYYY-MM-DD (UTC midnight) or an RFC 3339 timestamp; "
                    + "default 7 days before `to`", example = "2021-06-07") @QueryParam("from") String from,
            @Parameter(description = "End (exclusive): a date or timestamp; default the start of tomorrow (UTC)",
                    example = "2021-06-14") @QueryParam("to") String to,
            @Parameter(description = "none, software_version, cohort or day", example = "software_version")
            @QueryParam("group_by") String groupBy,
            @Parameter(description = "Only heartbeats of this version string", example = "1.0.1")
            @QueryParam("software_version") String softwareVersion,
            @Parameter(description = "Only heartbeats of devices in this cohort (name, case-insensitive)",
                    example = "beta") @QueryParam("cohort") String cohort) {
        Instant end = to == null || to.isBlank()
                ? LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()
                : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(java.time.Duration.ofDays(7)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ProblemException.badRequest("from", "must be before to");
        }
        PercentileQuery query = new PercentileQuery(project(projectId), metric(metric), percents(p), start, end,
                groupBy(groupBy), optional("software_version", softwareVersion), optional("cohort", cohort));
        return percentiles.percentiles(tenant.id(), query);
    }

    private static long project(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("project_id", "must be an integer");
        }
    }

    private static String metric(String metric) {
        if (metric.isBlank() || metric.length() > 200) {
            throw ProblemException.badRequest("metric", "must have 1 to 200 characters");
        }
        return metric;
    }

    private static List<BigDecimal> percents(List<String> values) {
        if (values == null || values.isEmpty()) {
            return DEFAULT_PERCENTS;
        }
        List<BigDecimal> percents = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                BigDecimal p;
                try {
                    p = new BigDecimal(part.trim());
                } catch (NumberFormatException e) {
                    throw ProblemException.badRequest("p", "\"" + part.trim() + "\" is not a number");
                }
                if (p.signum() <= 0 || p.compareTo(BigDecimal.valueOf(100)) >= 0) {
                    throw ProblemException.badRequest("p", part.trim() + " is not between 0 and 100 (exclusive)");
                }
                if (percents.stream().noneMatch(q -> q.compareTo(p) == 0)) {
                    percents.add(p);
                }
            }
        }
        if (percents.size() > MAX_PERCENTS) {
            throw ProblemException.badRequest("p", "at most " + MAX_PERCENTS + " percentiles per query");
        }
        return percents;
    }

    private static GroupBy groupBy(String text) {
        if (text == null || text.isBlank()) {
            return GroupBy.NONE;
        }
        return GroupBy.parse(text.trim()).orElseThrow(() -> ProblemException.badRequest("group_by",
                "must be one of none, software_version, cohort, day"));
    }

    private static String optional(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > 200) {
            throw ProblemException.badRequest(name, "must have at most 200 characters");
        }
        return value;
    }

    /** A date is UTC midnight; anything else must be a timestamp with an offset. */
    private static Instant instant(String name, String value) {
        String text = value.trim();
        try {
            if (text.length() == 10) {
                return Timestamps.parseDate(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Timestamps.parse(text);
        } catch (Timestamps.InvalidTimestampException e) {
            throw ProblemException.badRequest(name, "must be a date (YYYY-MM-DD) or an RFC 3339 timestamp: "
                    + e.getMessage());
        }
    }
}
