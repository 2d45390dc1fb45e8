package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.WarehouseConfig;
import dev.footfall.analytics.model.warehouse.Erasure;
import dev.footfall.analytics.model.warehouse.Retention;
import dev.footfall.analytics.repository.warehouse.WarehouseErasureRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseRunRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseSql;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * GDPR erasure and RSVP retention. Each runs under the warehouse lock (never beside a run) in one transaction that also
 * recomputes the gold rows the removed detail fed, so aggregates stay consistent with what is left.
 */
@ApplicationScoped
public class WarehouseCareService {

    private static final Logger LOG = Logger.getLogger(WarehouseCareService.class);

    private final WarehouseRunService runs;
    private final WarehouseRunRepository runRepository;
    private final WarehouseErasureRepository repository;
    private final WarehouseConfig config;

    WarehouseCareService(WarehouseRunService runs, WarehouseRunRepository runRepository,
            WarehouseErasureRepository repository, AnalyticsConfig config) {
        this.runs = runs;
        this.runRepository = runRepository;
        this.repository = repository;
        this.config = config.warehouse();
    }

    /** Erases a member from bronze, silver (history included) and the key map; recomputes the gold rows they fed. */
    public Uni<Erasure> erase(long memberId) {
        return transaction(conn -> repository.erase(conn, memberId).call(rows -> refreshGold(conn, rows)))
                .map(rows -> new Erasure(memberId, rows))
                .invoke(e -> LOG.infof("Member erased from the warehouse: %s", e.rows()));
    }

    /** Removes RSVP detail of events that started longer ago than the retention period; gold keeps their aggregates. */
    public Uni<Retention> retain() {
        Instant cutoff = Instant.now().minus(config.rsvpRetention());
        return transaction(conn -> repository.retain(conn, cutoff.atOffset(ZoneOffset.UTC)))
                .map(rows -> new Retention(cutoff, rows))
                .invoke(r -> LOG.infof("Warehouse retention before %s: %s", r.cutoff(), r.rows()));
    }

    private Uni<Void> refreshGold(SqlConnection conn, Map<String, Long> rows) {
        Map<String, Long> gold = new LinkedHashMap<>();
        return runRepository.steps(conn, WarehouseSql.goldRecompute(), Tuple.of(config.topGroupsPerCountry()),
                        gold::put, () -> Uni.createFrom().voidItem())
                .invoke(() -> gold.forEach((table, n) -> {
                    if (!table.contains("removed")) {
                        rows.put(table + " (recomputed)", n);
                    }
                }));
    }

    private <T> Uni<T> transaction(Function<SqlConnection, Uni<T>> work) {
        return runs.locked(conn -> conn.begin().chain(tx -> runRepository.prepare(conn, config.workMem())
                .chain(() -> work.apply(conn))
                .call(() -> runRepository.clearWork(conn))
                .call(tx::commit)
                .onFailure().call(e -> tx.rollback().onFailure().recoverWithNull())));
    }
}
