package dev.footfall.common.db;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the monthly partitions of a service's time-series tables ready, from last month to three months ahead, at
 * start and every night (the tables named in {@code footfall.partitions.tables}; each service's migrations define
 * {@code ensure_monthly_partitions}, which does nothing for TimescaleDB hypertables). Idempotent, and one replica at a
 * time by an advisory lock.
 */
@ApplicationScoped
public class MonthlyPartitions {

    private static final Logger LOG = Logger.getLogger(MonthlyPartitions.class);
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('footfall.partitions'))";
    private static final String ENSURE = "SELECT ensure_monthly_partitions($1, $2::date, $3)";

    private final Pool pool;
    private final List<String> tables;

    MonthlyPartitions(Pool pool, @ConfigProperty(name = "footfall.partitions.tables") Optional<List<String>> tables) {
        this.pool = pool;
        this.tables = tables.orElse(List.of());
    }

    void atStart(@Observes StartupEvent event) {
        ensure().await().indefinitely();
    }

    @Scheduled(cron = "0 7 0 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> ensure() {
        if (tables.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        LocalDate lastMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        return Multi.createFrom().iterable(tables)
                .onItem().transformToUniAndConcatenate(table -> pool.withTransaction(conn -> conn.query(LOCK).execute()
                        .chain(() -> conn.preparedQuery(ENSURE).execute(Tuple.of(table, lastMonth, 4)))
                        .map(rows -> rows.iterator().next().getInteger(0))
                        .invoke(created -> {
                            if (created > 0) {
                                LOG.infof("Created %d monthly partition(s) of %s", created, table);
                            }
                        })))
                .collect().asList()
                .onFailure().invoke(f -> LOG.warnf("Partition maintenance failed: %s", f.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
