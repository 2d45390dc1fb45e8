package dev.footfall.holiday.service;

import dev.footfall.holiday.model.RefreshReport;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * How the last holiday refresh went. Readiness stays UP after a failed refresh (the current versions still answer
 * correctly) but shows the failure; the {@code holiday-refresh} group ({@code /q/health/group/holiday-refresh}) is DOWN
 * until a refresh succeeds again, for alerting.
 */
public final class RefreshHealthChecks {

    private RefreshHealthChecks() {
    }

    static HealthCheckResponseBuilder describe(RefreshService refresh) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("holiday-refresh");
        RefreshReport last = refresh.last();
        if (last == null) {
            return builder.withData("last_refresh", "none yet");
        }
        builder.withData("last_refresh", last.finishedAt().toString())
                .withData("provider", last.provider())
                .withData("locations", last.locations())
                .withData("failed_locations", last.failures().size());
        if (!last.failures().isEmpty()) {
            builder.withData("last_error", last.failures().get(0).message());
        }
        RefreshReport failed = refresh.lastFailed();
        if (failed != null) {
            builder.withData("last_failed_refresh", failed.finishedAt().toString());
        }
        return builder;
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        private final RefreshService refresh;

        Ready(RefreshService refresh) {
            this.refresh = refresh;
        }

        @Override
        public HealthCheckResponse call() {
            return describe(refresh).up().build();
        }
    }

    @HealthGroup("holiday-refresh")
    @ApplicationScoped
    public static class LastRefresh implements HealthCheck {
        private final RefreshService refresh;

        LastRefresh(RefreshService refresh) {
            this.refresh = refresh;
        }

        @Override
        public HealthCheckResponse call() {
            RefreshReport last = refresh.last();
            return describe(refresh).status(last == null || last.failures().isEmpty()).build();
        }
    }
}
