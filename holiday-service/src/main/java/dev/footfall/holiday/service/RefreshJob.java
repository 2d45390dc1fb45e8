package dev.footfall.holiday.service;

import dev.footfall.holiday.config.HolidayConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/** The scheduled refresh, and one at start (after the seed locations are in). */
@ApplicationScoped
public class RefreshJob {

    private static final Logger LOG = Logger.getLogger(RefreshJob.class);

    private final RefreshService refresh;
    private final HolidayConfig config;

    RefreshJob(RefreshService refresh, HolidayConfig config) {
        this.refresh = refresh;
        this.config = config;
    }

    @Scheduled(identity = "holiday-refresh", cron = "${footfall.holiday.refresh.cron:0 17 3 * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh.refreshIfIdle().replaceWithVoid();
    }

    void atStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (config.refresh().atStart()) {
            refresh.refreshIfIdle().subscribe().with(report -> { },
                    e -> LOG.warnf("Holiday refresh at start failed: %s", e.toString()));
        }
    }
}
