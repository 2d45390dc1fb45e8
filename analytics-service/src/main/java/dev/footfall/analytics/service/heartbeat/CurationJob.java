package dev.footfall.analytics.service.heartbeat;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Scheduled heartbeat curation, across tenants: it finds the tenants with rows staged since their last run (in the
 * system scope) and curates each in turn, as that tenant, exactly as the tenant's own {@code POST} would. Cluster-safe:
 * a replica that finds a tenant's run in progress skips that tenant this turn; a tenant with nothing new gets no run.
 */
@ApplicationScoped
public class CurationJob {

    private static final Logger LOG = Logger.getLogger(CurationJob.class);

    private final CurationService curation;

    CurationJob(CurationService curation) {
        this.curation = curation;
    }

    @Scheduled(identity = "heartbeat-curation", every = "${footfall.analytics.heartbeat.curation.every:5m}",
            delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> curate() {
        return curation.tenantsWithWork()
                .onItem().transformToMulti(tenants -> Multi.createFrom().iterable(tenants))
                .onItem().transformToUniAndConcatenate(this::curate)
                .collect().last()
                .onFailure().invoke(e -> LOG.warnf("Scheduled heartbeat curation failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One tenant's run; its failure is logged (and recorded in its load log) and does not stop the others. */
    private Uni<Void> curate(String tenant) {
        return curation.curateIfIdle(tenant, "schedule")
                .invoke(run -> {
                    if (run.isEmpty()) {
                        LOG.debugf("Heartbeat curation of tenant %s skipped: a run of it is in progress", tenant);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Scheduled heartbeat curation of tenant %s failed: %s", tenant,
                        e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
