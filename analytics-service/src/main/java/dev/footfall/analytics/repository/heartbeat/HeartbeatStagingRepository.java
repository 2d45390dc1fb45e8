package dev.footfall.analytics.repository.heartbeat;

import dev.footfall.analytics.model.heartbeat.Cohort;
import dev.footfall.analytics.model.heartbeat.Device;
import dev.footfall.analytics.model.heartbeat.DeviceEvent;
import dev.footfall.analytics.model.heartbeat.SoftwareVersion;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
            INSERT INTO hb_stg_cohort AS t (id, project_id, name)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
            ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, name = EXCLUDED.name, loaded_at = now()
            WHERE (t.project_id, t.name) IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.name)
            """;
    private static final String LIST_COHORTS = "SELECT id, project_id, name FROM hb_stg_cohort ORDER BY id";

    private static final String UPSERT_DEVICES = """
            INSERT INTO hb_stg_device AS t (id, project_id, device_serial, cohort_id)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[])
            ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, device_serial = EXCLUDED.device_serial,
                cohort_id = EXCLUDED.cohort_id, loaded_at = now()
            WHERE (t.project_id, t.device_serial, t.cohort_id)
                  IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.device_serial, EXCLUDED.cohort_id)
            """;

    private static final String UPSERT_VERSIONS = """
            INSERT INTO hb_stg_software_version AS t (id, project_id, version)
            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[])
            ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, version = EXCLUDED.version, loaded_at = now()
            WHERE (t.project_id, t.version) IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.version)
            """;

    // A heartbeat whose captured_date changes, or that stops being a heartbeat, leaves a curated copy behind: its old
    // captured_date is kept in stale_curated_at (the first one, if it changes again before curation runs).
    private static final String UPSERT_EVENTS = """
            INSERT INTO hb_stg_event AS t (id, project_id, captured_date, created_date, type, software_version_id,
                                           device_id, event_info)
            SELECT u.id, u.project_id, u.captured_date, u.created_date, u.type, u.software_version_id, u.device_id,
                   u.event_info::jsonb
            FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::bigint[],
                        $7::bigint[], $8::text[])
                 AS u(id, project_id, captured_date, created_date, type, software_version_id, device_id, event_info)
            ON CONFLICT (id) DO UPDATE SET project_id = EXCLUDED.project_id, captured_date = EXCLUDED.captured_date,
                created_date = EXCLUDED.created_date, type = EXCLUDED.type,
                software_version_id = EXCLUDED.software_version_id, device_id = EXCLUDED.device_id,
                event_info = EXCLUDED.event_info, loaded_at = now(),
                stale_curated_at = CASE
                    WHEN t.type = 'heartbeat'
                         AND (EXCLUDED.type <> 'heartbeat' OR EXCLUDED.captured_date <> t.captured_date)
                    THEN coalesce(t.stale_curated_at, t.captured_date)
                    ELSE t.stale_curated_at END
            WHERE (t.project_id, t.captured_date, t.created_date, t.type, t.software_version_id, t.device_id, t.event_info)
                  IS DISTINCT FROM (EXCLUDED.project_id, EXCLUDED.captured_date, EXCLUDED.created_date, EXCLUDED.type,
                                    EXCLUDED.software_version_id, EXCLUDED.device_id, EXCLUDED.event_info)
            """;

    private static final String ADD_METRICS = """
            INSERT INTO hb_metric_catalog (project_id, metric)
            SELECT * FROM unnest($1::bigint[], $2::text[])
            ON CONFLICT DO NOTHING
            """;

    private final Pool pool;

    HeartbeatStagingRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Integer> upsertCohorts(List<Cohort> cohorts) {
        return pool.preparedQuery(UPSERT_COHORTS)
                .execute(Tuple.of(column(cohorts, Cohort::id, Long[]::new), column(cohorts, Cohort::projectId, Long[]::new),
                        column(cohorts, Cohort::name, String[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<List<Cohort>> cohorts() {
        return pool.query(LIST_COHORTS).execute().map(rows -> {
            List<Cohort> cohorts = new ArrayList<>(rows.size());
            rows.forEach(r -> cohorts.add(new Cohort(r.getLong("id"), r.getLong("project_id"), r.getString("name"))));
            return cohorts;
        });
    }

    public Uni<Integer> upsertDevices(List<Device> devices) {
        return pool.preparedQuery(UPSERT_DEVICES)
                .execute(Tuple.of(column(devices, Device::id, Long[]::new), column(devices, Device::projectId, Long[]::new),
                        column(devices, Device::deviceSerial, String[]::new),
                        column(devices, Device::cohortId, Long[]::new)))
                .map(rows -> rows.rowCount());
    }

    public Uni<Integer> upsertSoftwareVersions(List<SoftwareVersion> versions) {
        return pool.preparedQuery(UPSERT_VERSIONS)
                .execute(Tuple.of(column(versions, SoftwareVersion::id, Long[]::new),
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
    public Uni<Integer> upsertEvents(List<DeviceEvent> events, List<String> eventInfoJson,
            Map<Long, ? extends java.util.Collection<String>> metricsByProject) {
        Tuple events8 = Tuple.tuple()
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
        return pool.withTransaction(tx -> addMetrics(tx, projects, metrics)
                .chain(() -> tx.preparedQuery(UPSERT_EVENTS).execute(events8))
                .map(rows -> rows.rowCount()));
    }

    private static Uni<Void> addMetrics(SqlClient tx, List<Long> projects, List<String> metrics) {
        if (metrics.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(ADD_METRICS)
                .execute(Tuple.of(projects.toArray(Long[]::new), metrics.toArray(String[]::new)))
                .replaceWithVoid();
    }

    private static <T, C> C[] column(List<T> items, Function<T, C> getter, java.util.function.IntFunction<C[]> array) {
        C[] values = array.apply(items.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = getter.apply(items.get(i));
        }
        return values;
    }
}
