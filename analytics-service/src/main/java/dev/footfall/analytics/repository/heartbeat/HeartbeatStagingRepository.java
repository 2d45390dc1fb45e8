package dev.footfall.analytics.repository.heartbeat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.footfall.analytics.model.heartbeat.Cohort;
import dev.footfall.analytics.model.heartbeat.Device;
import dev.footfall.analytics.model.heartbeat.DeviceEvent;
import dev.footfall.analytics.model.heartbeat.SoftwareVersion;
import dev.footfall.common.db.TenantSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Upserts into the heartbeat staging tables: one statement per batch (arrays unnested server-side). Rows whose content
 * is unchanged are not touched, so their {@code loaded_at} keeps telling curation what is new.
 */
@ApplicationScoped
public class HeartbeatStagingRepository {

    private static final String UPSERT_COHORTS = """
            INSERT INTO hb_stg_cohort AS t (tenant, id, project_id, name)
            SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[])
            ON CONFLICT (tenant, id) DO UPDATE
            SET project_id = EXCLUDED.project_id, name = EXCLUDED.name, loaded_at = now()
            WHERE (t.project_id, t.name) IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.name)
            """;
    private static final String LIST_COHORTS =
            "SELECT id, project_id, name FROM hb_stg_cohort WHERE tenant = $1 ORDER BY id";

    private static final String UPSERT_DEVICES = """
            INSERT INTO hb_stg_device AS t (tenant, id, project_id, device_serial, cohort_id)
            SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::bigint[])
            ON CONFLICT (tenant, id) DO UPDATE
            SET project_id = EXCLUDED.project_id, device_serial = EXCLUDED.device_serial,
                cohort_id = EXCLUDED.cohort_id, loaded_at = now()
            WHERE (t.project_id, t.device_serial, t.cohort_id)
                  IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.device_serial, EXCLUDED.cohort_id)
            """;

    private static final String UPSERT_VERSIONS = """
            INSERT INTO hb_stg_software_version AS t (tenant, id, project_id, version)
            SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[])
            ON CONFLICT (tenant, id) DO UPDATE
            SET project_id = EXCLUDED.project_id, version = EXCLUDED.version, loaded_at = now()
            WHERE (t.project_id, t.version) IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.version)
            """;

    // A heartbeat whose captured_date changes, or that stops being a heartbeat, leaves a curated copy behind: its old
    // captured_date is kept in stale_curated_at (the first one, if it changes again before curation runs). The numeric
    // metric values come as float8[] literals aligned with the catalog (see metricValues).
    private static final String UPSERT_EVENTS = """
            INSERT INTO hb_stg_event AS t (tenant, id, project_id, captured_date, created_date, type,
                                           software_version_id, device_id, event_info, metric_values)
            SELECT $1, u.id, u.project_id, u.captured_date, u.created_date, u.type, u.software_version_id, u.device_id,
                   u.event_info::jsonb, u.metric_values::float8[]
            FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::bigint[],
                        $8::bigint[], $9::text[], $10::text[])
                 AS u(id, project_id, captured_date, created_date, type, software_version_id, device_id, event_info,
                      metric_values)
            ON CONFLICT (tenant, id) DO UPDATE
            SET project_id = EXCLUDED.project_id, captured_date = EXCLUDED.captured_date,
                created_date = EXCLUDED.created_date, type = EXCLUDED.type,
                software_version_id = EXCLUDED.software_version_id, device_id = EXCLUDED.device_id,
                event_info = EXCLUDED.event_info, metric_values = EXCLUDED.metric_values, loaded_at = now(),
                stale_curated_at = CASE
                    WHEN t.type = 'heartbeat'
                         AND (EXCLUDED.type <> 'heartbeat' OR EXCLUDED.captured_date <> t.captured_date)
                    THEN coalesce(t.stale_curated_at, t.captured_date)
                    ELSE t.stale_curated_at END
            WHERE (t.project_id, t.captured_date, t.created_date, t.type, t.software_version_id, t.device_id, t.event_info)
                  IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.captured_date, EXCLUDED.created_date, EXCLUDED.type,
                                    EXCLUDED.software_version_id, EXCLUDED.device_id, EXCLUDED.event_info)
            """;

    // Metric names are new rarely: only then does a batch take its tenant's catalog lock, so that the next ordinals
    // of a project are handed out once (dense, in name order within the batch).
    private static final String NEW_METRICS = """
            SELECT EXISTS (SELECT 1 FROM unnest($2::bigint[], $3::text[]) AS n(project_id, metric)
                           WHERE NOT EXISTS (SELECT 1 FROM hb_metric_catalog k
                                             WHERE k.tenant = $1 AND k.project_id = n.project_id
                                               AND k.metric = n.metric))
            """;
    private static final String ADD_METRICS = """
            INSERT INTO hb_metric_catalog (tenant, project_id, metric, ordinal)
            SELECT $1::text, n.project_id, n.metric,
                   coalesce((SELECT max(k.ordinal) FROM hb_metric_catalog k
                             WHERE k.tenant = $1::text AND k.project_id = n.project_id), 0)
                   + row_number() OVER (PARTITION BY n.project_id ORDER BY n.metric)
            FROM (SELECT DISTINCT project_id, metric FROM unnest($2::bigint[], $3::text[]) AS u(project_id, metric)) n
            WHERE NOT EXISTS (SELECT 1 FROM hb_metric_catalog k
                              WHERE k.tenant = $1::text AND k.project_id = n.project_id AND k.metric = n.metric)
            """;
    /** The transaction-level advisory lock of a tenant's catalog ordinals (tenants do not wait for each other). */
    private static final String CATALOG_LOCK =
            "SELECT pg_advisory_xact_lock(hashtextextended('hb-catalog/' || $1::text, 0))";

    private static final String CATALOG = """
            SELECT project_id, metric, ordinal FROM hb_metric_catalog
            WHERE tenant = $1 AND project_id = ANY($2::bigint[])
            """;

    private final TenantSql tenantSql;

    HeartbeatStagingRepository(TenantSql tenantSql) {
        this.tenantSql = tenantSql;
    }

    public Uni<Integer> upsertCohorts(String tenant, List<Cohort> cohorts) {
        return tenantSql.query(tenant, UPSERT_COHORTS,
                        Tuple.of(tenant, column(cohorts, Cohort::id, Long[]::new),
                                column(cohorts, Cohort::projectId, Long[]::new),
                                column(cohorts, Cohort::name, String[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<List<Cohort>> cohorts(String tenant) {
        return tenantSql.query(tenant, LIST_COHORTS, Tuple.of(tenant)).map(rows -> {
            List<Cohort> cohorts = new ArrayList<>(rows.size());
            rows.forEach(r -> cohorts.add(new Cohort(r.getLong("id"), r.getLong("project_id"), r.getString("name"))));
            return cohorts;
        });
    }

    public Uni<Integer> upsertDevices(String tenant, List<Device> devices) {
        return tenantSql.query(tenant, UPSERT_DEVICES,
                        Tuple.of(tenant, column(devices, Device::id, Long[]::new),
                                column(devices, Device::projectId, Long[]::new),
                                column(devices, Device::deviceSerial, String[]::new),
                                column(devices, Device::cohortId, Long[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<Integer> upsertSoftwareVersions(String tenant, List<SoftwareVersion> versions) {
        return tenantSql.query(tenant, UPSERT_VERSIONS,
                        Tuple.of(tenant, column(versions, SoftwareVersion::id, Long[]::new),
                                column(versions, SoftwareVersion::projectId, Long[]::new),
                                column(versions, SoftwareVersion::version, String[]::new)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Stages events and records the metric names their heartbeats carry, in one transaction.
     *
     * @param eventInfoJson each event's {@code event_info} as JSON text, in the order of {@code events}
     * @param metricsByProject metric names per project found in the batch's heartbeats
     */
    public Uni<Integer> upsertEvents(String tenant, List<DeviceEvent> events, List<String> eventInfoJson,
            Map<Long, ? extends java.util.Collection<String>> metricsByProject) {
        Tuple events9 = Tuple.tuple()
                .addString(tenant)
                .addValue(column(events, DeviceEvent::id, Long[]::new))
                .addValue(column(events, DeviceEvent::projectId, Long[]::new))
                .addValue(column(events, e -> e.capturedDate().atOffset(ZoneOffset.UTC), OffsetDateTime[]::new))
                .addValue(column(events, e -> e.createdDate().atOffset(ZoneOffset.UTC), OffsetDateTime[]::new))
                .addValue(column(events, DeviceEvent::type, String[]::new))
                .addValue(column(events, DeviceEvent::softwareVersionId, Long[]::new))
                .addValue(column(events, DeviceEvent::deviceId, Long[]::new))
                .addValue(eventInfoJson.toArray(String[]::new));
        List<Long> projects = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        metricsByProject.forEach((project, names) -> names.forEach(name -> {
            projects.add(project);
            metrics.add(name);
        }));
        return tenantSql.transaction(tenant, tx -> addMetrics(tx, tenant, projects, metrics)
                .chain(() -> tx.preparedQuery(CATALOG)
                        .execute(Tuple.of(tenant, metricsByProject.keySet().toArray(Long[]::new))))
                .chain(catalog -> {
                    Map<Long, List<String>> names = new HashMap<>();
                    catalog.forEach(r -> {
                        List<String> list = names.computeIfAbsent(r.getLong("project_id"), p -> new ArrayList<>());
                        int ordinal = r.getInteger("ordinal");
                        while (list.size() < ordinal) {
                            list.add(null);
                        }
                        list.set(ordinal - 1, r.getString("metric"));
                    });
                    String[] values = new String[events.size()];
                    for (int i = 0; i < values.length; i++) {
                        DeviceEvent e = events.get(i);
                        values[i] = e.isHeartbeat() ? metricValues(e.eventInfo().get("metrics"),
                                names.getOrDefault(e.projectId(), List.of())) : null;
                    }
                    return tx.preparedQuery(UPSERT_EVENTS).execute(events9.addValue(values));
                })
                .map(rows -> rows.rowCount()));
    }

    /**
     * The numeric metric values of a heartbeat as a float8[] literal, element i holding the metric of catalog ordinal
     * i ({@code NULL} when missing or not a number). Taking them out here, once, spares curation from parsing JSON.
     * The double is the correctly rounded value of the JSON number, as PostgreSQL's jsonb-to-float8 cast gives it, and
     * its shortest decimal form reads back to the same double; numbers beyond float8's range are treated as missing.
     */
    static String metricValues(JsonNode metrics, List<String> namesByOrdinal) {
        StringBuilder literal = new StringBuilder(16 * namesByOrdinal.size() + 2).append('{');
        for (int i = 0; i < namesByOrdinal.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            String name = namesByOrdinal.get(i);
            JsonNode value = metrics != null && metrics.isObject() && name != null ? metrics.get(name) : null;
            double d = value != null && value.isNumber() ? value.doubleValue() : Double.NaN;
            if (Double.isFinite(d)) {
                literal.append(d == 0 ? "0" : Double.toString(d));
            } else {
                literal.append("NULL");
            }
        }
        return literal.append('}').toString();
    }

    private static Uni<Void> addMetrics(SqlClient tx, String tenant, List<Long> projects, List<String> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Tuple names = Tuple.of(tenant, projects.toArray(Long[]::new), metrics.toArray(String[]::new));
        return tx.preparedQuery(NEW_METRICS).execute(names).chain(rows -> !rows.iterator().next().getBoolean(0)
                ? Uni.createFrom().voidItem()
                : tx.preparedQuery(CATALOG_LOCK).execute(Tuple.of(tenant))
                        .chain(() -> tx.preparedQuery(ADD_METRICS).execute(names))
                        .replaceWithVoid());
    }

    private static <T, C> C[] column(List<T> items, Function<T, C> getter, java.util.function.IntFunction<C[]> array) {
        C[] values = array.apply(items.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = getter.apply(items.get(i));
        }
        return values;
    }
}
