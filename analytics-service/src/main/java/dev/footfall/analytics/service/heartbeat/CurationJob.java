package dev.footfall.analytics.service.heartbeat;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Scheduled heartbeat curation. Cluster-safe: a replica that finds the advisory lock taken skips its turn. */
@ApplicationScoped
public class CurationJob {

    private static final Logger LOG = Logger.getLogger(CurationJob.class);

    private final CurationService curation;

    CurationJob(CurationService curation) {
        this.curation = curation;
    }

    @Scheduled(identity = "heartbeat-curation", every = "${footfall.analytics.heartbeat.curation.every:5m}",
            delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> curate() {
        return curation.curateIfIdle("schedule")
                .invoke(run -> {
                    if (run.isEmpty()) {
                        LOG.debug("Heartbeat curation skipped: another run holds the lock");
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("Scheduled heartbeat curation failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
