package dev.footfall.analytics.service.heartbeat;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.model.heartbeat.PercentileGroup;
import dev.footfall.analytics.model.heartbeat.PercentileQuery;
import dev.footfall.analytics.model.heartbeat.PercentileReport;
import dev.footfall.analytics.model.heartbeat.ProjectMetrics;
import dev.footfall.analytics.repository.heartbeat.HeartbeatMetricsRepository;
import dev.footfall.analytics.repository.heartbeat.HeartbeatMetricsRepository.PercentileRow;
import dev.footfall.analytics.repository.heartbeat.HeartbeatMetricsRepository.Span;
import dev.footfall.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Metric discovery and exact percentiles (percentile_cont semantics) over curated heartbeats. */
@ApplicationScoped
public class PercentileService {

    private final HeartbeatMetricsRepository repository;
    private final AnalyticsConfig.Heartbeat config;

    PercentileService(HeartbeatMetricsRepository repository, AnalyticsConfig config) {
        this.repository = repository;
        this.config = config.heartbeat();
    }

    /** The tenant's project's metrics; a project without heartbeats in the tenant (or only in another) is 404. */
    public Uni<ProjectMetrics> metrics(String tenant, long projectId) {
        return repository.metrics(tenant, projectId).map(metrics -> {
            if (metrics.isEmpty()) {
                throw noSuchProject(projectId);
            }
            return new ProjectMetrics(projectId, metrics);
        });
    }

    public Uni<PercentileReport> percentiles(String tenant, PercentileQuery q) {
        if (Duration.between(q.from(), q.to()).compareTo(Duration.ofDays(config.maxQueryDays())) > 0) {
            throw ProblemException.badRequest("to", "the range may span at most " + config.maxQueryDays() + " days");
        }
        Double[] fractions = q.percents().stream()
                .map(p -> p.divide(BigDecimal.valueOf(100), MathContext.DECIMAL64).doubleValue())
                .toArray(Double[]::new);
        return repository.known(tenant, q.projectId(), q.metric()).chain(known -> {
            if (!known.project()) {
                throw noSuchProject(q.projectId());
            }
            if (!known.metric()) {
                throw ProblemException.badRequest("metric",
                        "unknown metric \"" + q.metric() + "\" for project " + q.projectId()
                                + "; GET /v1/projects/" + q.projectId() + "/metrics lists them");
            }
            return repository.percentiles(tenant, q.projectId(), q.metric(), q.groupBy(), span(q.from(), q.to()),
                    q.softwareVersion(), q.cohort(), fractions);
        }).map(rows -> new PercentileReport(q.metric(), q.projectId(), q.from(), q.to(), q.groupBy().wireName(),
                q.softwareVersion(), q.cohort(), groups(rows, labels(q.percents()))));
    }

    /** The same answer for a project that has no heartbeats in the caller's tenant and one that is another tenant's. */
    private static ProblemException noSuchProject(long projectId) {
        return ProblemException.notFound("Project " + projectId + " has no heartbeat metrics");
    }

    /** Whole UTC days come from the pre-aggregates; the partial days at the ends from the curated rows. */
    static Span span(Instant from, Instant to) {
        LocalDate fromDay = LocalDate.ofInstant(from, ZoneOffset.UTC);
        Instant fullFrom = start(fromDay).equals(from) ? from : start(fromDay.plusDays(1));
        Instant fullTo = start(LocalDate.ofInstant(to, ZoneOffset.UTC));
        if (fullFrom.isBefore(fullTo)) {
            return new Span(day(fullFrom), day(fullTo), from, fullFrom, fullTo, to);
        }
        return new Span(fromDay, fromDay, from, to, to, to);
    }

    private static List<PercentileGroup> groups(List<PercentileRow> rows, List<String> labels) {
        List<PercentileGroup> groups = new ArrayList<>();
        String key = null;
        long heartbeats = 0;
        long n = 0;
        Map<String, Double> values = null;
        for (PercentileRow row : rows) {
            if (values == null || !row.key().equals(key)) {
                if (values != null) {
                    groups.add(group(key, n, heartbeats, values));
                }
                key = row.key();
                heartbeats = row.heartbeats();
                n = row.n();
                values = new LinkedHashMap<>();
                for (String label : labels) {
                    values.put(label, null);
                }
            }
            if (row.ordinal() != null) {
                values.put(labels.get(row.ordinal() - 1), row.value());
            }
        }
        if (values != null) {
            groups.add(group(key, n, heartbeats, values));
        }
        return groups;
    }

    private static PercentileGroup group(String key, long n, long heartbeats, Map<String, Double> values) {
        return new PercentileGroup(key.isEmpty() ? null : key, n, Math.max(0, heartbeats - n), values);
    }

    /** p50, p90, p99.9: the percent as written, without trailing zeros. */
    static List<String> labels(List<BigDecimal> percents) {
        return percents.stream().map(p -> "p" + p.stripTrailingZeros().toPlainString()).toList();
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static LocalDate day(Instant start) {
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }

}
