package dev.footfall.analytics.service.warehouse;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Scheduled RSVP retention of every tenant. Cluster-safe: each tenant's retention takes that tenant's warehouse lock,
 * and skips its turn when it is taken.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final WarehouseCareService care;

    RetentionJob(WarehouseCareService care) {
        this.care = care;
    }

    @Scheduled(identity = "warehouse-retention", every = "${footfall.analytics.warehouse.retention-every:24h}",
            delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retain() {
        return care.retainEveryTenant()
                .onFailure().invoke(e -> LOG.infof("Scheduled warehouse retention skipped or failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
