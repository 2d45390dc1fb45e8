package dev.footfall.ingest.service;

import dev.footfall.ingest.repository.EventRepository;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/** Keeps monthly partitions of the event log ready from last month to three months ahead. Idempotent. */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    private final EventRepository events;

    PartitionMaintenance(EventRepository events) {
        this.events = events;
    }

    void atStart(@Observes StartupEvent event) {
        ensure().await().indefinitely();
    }

    @Scheduled(cron = "0 7 0 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> ensure() {
        LocalDate lastMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        return events.ensurePartitions(lastMonth, 4)
                .invoke(created -> {
                    if (created > 0) {
                        LOG.infof("Created %d event log partition(s)", created);
                    }
                })
                .onFailure().invoke(f -> LOG.warnf("Partition maintenance failed: %s", f.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
