package dev.footfall.analytics.service.warehouse;

import dev.footfall.analytics.config.AnalyticsConfig;
import dev.footfall.analytics.config.WarehouseConfig;
import dev.footfall.analytics.model.warehouse.EventSignup;
import dev.footfall.analytics.model.warehouse.GoldPage;
import dev.footfall.analytics.model.warehouse.GroupGrowth;
import dev.footfall.analytics.model.warehouse.MonthlyActive;
import dev.footfall.analytics.model.warehouse.QualityReport;
import dev.footfall.analytics.model.warehouse.TopGroup;
import dev.footfall.analytics.repository.warehouse.WarehouseGoldRepository;
import dev.footfall.analytics.repository.warehouse.WarehouseQualityRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;

/** A tenant's gold tables and data-quality report, as of its last finished run. */
@ApplicationScoped
public class WarehouseGoldService {

    private final WarehouseGoldRepository gold;
    private final WarehouseQualityRepository quality;
    private final WarehouseConfig config;

    WarehouseGoldService(WarehouseGoldRepository gold, WarehouseQualityRepository quality, AnalyticsConfig config) {
        this.gold = gold;
        this.quality = quality;
        this.config = config.warehouse();
    }

    public Uni<GoldPage<EventSignup>> signups(String tenant, String country, Long groupId, Instant from, Instant to,
            int limit, int offset) {
        return gold.signups(tenant, country, groupId, from, to, limit, offset);
    }

    public Uni<GoldPage<MonthlyActive>> monthlyActive(String tenant, String country, LocalDate from, LocalDate to,
            int limit, int offset) {
        return gold.monthlyActive(tenant, country, from, to, limit, offset);
    }

    public Uni<GoldPage<GroupGrowth>> growth(String tenant, Long groupId, String country, LocalDate from, LocalDate to,
            int limit, int offset) {
        return gold.growth(tenant, groupId, country, from, to, limit, offset);
    }

    public Uni<GoldPage<TopGroup>> topGroups(String tenant, String country, int top, int limit, int offset) {
        return gold.topGroups(tenant, country, Math.min(top, config.topGroupsPerCountry()), limit, offset);
    }

    public Uni<QualityReport> quality(String tenant) {
        Instant at = Instant.now();
        return quality.lastRun(tenant).chain(run -> quality.run(tenant, config.qualitySamples())
                .map(checks -> new QualityReport(at, run, checks)));
    }

    public int maxPageSize() {
        return config.maxPageSize();
    }
}
