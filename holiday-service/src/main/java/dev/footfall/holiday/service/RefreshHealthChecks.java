package dev.footfall.holiday.service;

import dev.footfall.holiday.model.RefreshReport;
import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * How the holiday refreshes went. Readiness stays UP after a failed refresh (the current versions still answer
 * correctly) but shows the failure; the {@code holiday-refresh} group ({@code /q/health/group/holiday-refresh}) is DOWN
 * while the last refresh of some location failed (the last of every tenant's, or a tenant's own since), for alerting.
 * The data are counts and the provider's message, never a tenant's name or location.
 */
public final class RefreshHealthChecks {

    private RefreshHealthChecks() {
    }

    static HealthCheckResponseBuilder describe(RefreshService.Health health) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("holiday-refresh");
        RefreshReport last = health.lastOfAll();
        if (last == null) {
            builder.withData("last_refresh", "none yet");
        } else {
            builder.withData("last_refresh", last.finishedAt().toString())
                    .withData("provider", last.provider())
                    .withData("locations", last.locations());
        }
        builder.withData("failed_locations", health.failedLocations());
        if (health.failedLocations() > 0) {
            builder.withData("last_error", health.lastError());
        }
        if (health.lastFailedAt() != null) {
            builder.withData("last_failed_refresh", health.lastFailedAt().toString());
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
            return describe(refresh.health()).up().build();
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
            RefreshService.Health health = refresh.health();
            return describe(health).status(health.failedLocations() == 0).build();
        }
    }
}
