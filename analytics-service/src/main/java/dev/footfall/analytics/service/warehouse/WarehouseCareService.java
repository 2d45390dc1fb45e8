package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.WarehouseConfig;
import dev.footfall.analytics.model.warehouse.Erasure;
import dev.footfall.analytics.model.warehouse.Retention;
import dev.footfall.analytics.repository.warehouse.WarehouseErasureRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseRunRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseSql;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * GDPR erasure and RSVP retention, per tenant. Each runs under the tenant's warehouse lock (never beside a run of the
 * tenant) in one transaction of the tenant that also recomputes the gold rows the removed detail fed, so aggregates
 * stay consistent with what is left. The scheduled retention visits every tenant, one after the other, each in its own
 * transaction and under its own lock.
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

    /**
     * Erases the tenant's member from bronze, silver (history included) and the key map; recomputes the gold rows they
     * fed. An id the tenant does not have (whoever else has it) removes nothing.
     */
    public Uni<Erasure> erase(String tenant, long memberId) {
        return transaction(tenant, conn -> repository.erase(conn, tenant, memberId)
                        .call(rows -> refreshGold(conn, tenant, rows)))
                .map(rows -> new Erasure(memberId, rows))
                .invoke(e -> LOG.infof("Member erased from the warehouse of %s: %s", tenant, e.rows()));
    }

    /**
     * Removes the tenant's RSVP detail of events that started longer ago than the retention period; gold keeps their
     * aggregates.
     */
    public Uni<Retention> retain(String tenant) {
        Instant cutoff = Instant.now().minus(config.rsvpRetention());
        return transaction(tenant, conn -> repository.retain(conn, tenant, cutoff.atOffset(ZoneOffset.UTC)))
                .map(rows -> new Retention(cutoff, rows))
                .invoke(r -> LOG.infof("Warehouse retention of %s before %s: %s", tenant, r.cutoff(), r.rows()));
    }

    /**
     * The retention of every tenant with a warehouse (found in the system scope), one tenant at a time, each as that
     * tenant; a tenant whose lock is taken (a run) is skipped until the next turn. Answers the tenants retained.
     */
    public Uni<Map<String, Retention>> retainEveryTenant() {
        Map<String, Retention> done = new LinkedHashMap<>();
        return runRepository.tenants()
                .chain(tenants -> Multi.createFrom().iterable(tenants)
                        .onItem().transformToUniAndConcatenate(tenant -> retain(tenant)
                                .invoke(r -> done.put(tenant, r))
                                .onFailure().invoke(e -> LOG.infof("Warehouse retention of %s skipped: %s", tenant,
                                        e.getMessage()))
                                .onFailure().recoverWithNull())
                        .collect().last())
                .map(x -> done);
    }

    private Uni<Void> refreshGold(SqlConnection conn, String tenant, Map<String, Long> rows) {
        Map<String, Long> gold = new LinkedHashMap<>();
        return runRepository.steps(conn, WarehouseSql.goldRecompute(), List.of(tenant, config.topGroupsPerCountry()),
                        gold::put, () -> Uni.createFrom().voidItem())
                .invoke(() -> gold.forEach((table, n) -> {
                    if (!table.contains("removed")) {
                        rows.put(table + " (recomputed)", n);
                    }
                }));
    }

    /** The tenant's transaction under its warehouse lock, with the run's settings and work tables. */
    private <T> Uni<T> transaction(String tenant, Function<SqlConnection, Uni<T>> work) {
        return runs.locked(tenant, conn -> runRepository.prepare(conn, config.workMem()).chain(() -> work.apply(conn)));
    }
}
