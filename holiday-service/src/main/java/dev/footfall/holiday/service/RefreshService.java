package dev.footfall.holiday.service;

import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.model.RefreshReport;
import dev.footfall.holiday.repository.HolidayRepository;
import dev.footfall.holiday.repository.LocationRepository;
import dev.footfall.holiday.repository.LocationRepository.TenantLocation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Refreshes active locations: the current year, the next ones ({@code refresh.years-ahead}) and every year loaded
 * before. The scheduled refresh covers every tenant's locations; one asked for through the API covers the caller's
 * tenant only, and its report names only that tenant's locations. Each location is refreshed in its own tenant's
 * scope. One refresh at a time across all replicas (a PostgreSQL advisory lock). A location whose provider fails keeps
 * its current version; the failure is logged and shown by the health checks.
 */
@ApplicationScoped
public class RefreshService {

    private static final Logger LOG = Logger.getLogger(RefreshService.class);
    /** Advisory lock key of the refresh job ("holiday-refresh"), distinct from the per-location locks. */
    private static final long LOCK_KEY = 0x686f6c2d72656672L;

    /**
     * What the health checks show: the last refresh of every tenant's locations, and per tenant how many locations
     * failed in the last refresh that covered them (a tenant's own refresh replaces its count).
     */
    public record Health(RefreshReport lastOfAll, Map<String, Integer> failedByTenant, String lastError,
            Instant lastFailedAt) {

        static final Health NONE = new Health(null, Map.of(), null, null);

        public int failedLocations() {
            return failedByTenant.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final LocationRepository locations;
    private final HolidayRepository holidays;
    private final HolidayLoader loader;
    private final HolidayConfig config;
    private final Pool pool;
    private final AtomicReference<Health> health = new AtomicReference<>(Health.NONE);

    RefreshService(LocationRepository locations, HolidayRepository holidays, HolidayLoader loader, HolidayConfig config,
            Pool pool) {
        this.locations = locations;
        this.holidays = holidays;
        this.loader = loader;
        this.config = config;
        this.pool = pool;
    }

    /** The years every location keeps loaded: this year (UTC) and the next {@code years-ahead}. */
    public List<Integer> windowYears() {
        int year = LocalDate.now(ZoneOffset.UTC).getYear();
        List<Integer> years = new ArrayList<>();
        for (int y = year; y <= year + config.refresh().yearsAhead(); y++) {
            years.add(y);
        }
        return years;
    }

    /** Waits for a refresh running elsewhere to finish, then refreshes the tenant's active locations. */
    public Uni<RefreshReport> refreshWaiting(String tenant) {
        Supplier<Uni<List<TenantLocation>>> active = () -> locations.list(tenant, false).map(list -> list.stream()
                .map(location -> new TenantLocation(tenant, location)).toList());
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
                .flatMap(locked -> refresh(active, tenant).onTermination().call(() -> conn.preparedQuery(
                        "SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY)).onFailure().recoverWithNull())));
    }

    /** Refreshes every tenant's active locations unless another replica is refreshing; null when skipped. */
    public Uni<RefreshReport> refreshIfIdle() {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked")
                .execute(Tuple.of(LOCK_KEY)).flatMap(rows -> {
                    if (!rows.iterator().next().getBoolean("locked")) {
                        LOG.info("Holiday refresh skipped: another replica is refreshing");
                        return Uni.createFrom().nullItem();
                    }
                    return refresh(locations::listActiveAll, null).onTermination().call(() -> conn
                            .preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY))
                            .onFailure().recoverWithNull());
                }));
    }

    /** Refreshes the locations {@code active} lists: one tenant's ({@code tenant}), or every tenant's (null). */
    private Uni<RefreshReport> refresh(Supplier<Uni<List<TenantLocation>>> active, String tenant) {
        Instant started = Instant.now();
        List<Integer> window = windowYears();
        return active.get().flatMap(list -> Multi.createFrom().iterable(list)
                .onItem().transformToUni(location -> refreshOne(location, window)).merge(4)
                .collect().asList()
                .map(results -> {
                    RefreshReport report = report(started, window, list.size(), results);
                    record(tenant, report, results);
                    return report;
                }));
    }

    private record Result(String tenant, HolidayLoader.Outcome outcome, RefreshReport.Failure failure) {
    }

    private Uni<Result> refreshOne(TenantLocation location, List<Integer> window) {
        LocationRef ref = new LocationRef(location.tenant(), location.location().locationId());
        return holidays.loadedYears(ref)
                .flatMap(loaded -> {
                    TreeSet<Integer> years = new TreeSet<>(window);
                    years.addAll(loaded);
                    return loader.load(location.tenant(), location.location(), years);
                })
                .map(outcome -> new Result(location.tenant(), outcome, null))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Holiday refresh of location %s of tenant %s failed; its current version is kept: %s",
                            ref.locationId(), ref.tenant(), e.getMessage());
                    return new Result(location.tenant(), null, new RefreshReport.Failure(ref.locationId().toString(),
                            String.valueOf(e.getMessage())));
                });
    }

    private RefreshReport report(Instant started, List<Integer> window, int count, List<Result> results) {
        int newVersions = 0;
        int yearsLoaded = 0;
        int unchanged = 0;
        List<RefreshReport.Failure> failures = new ArrayList<>();
        for (Result r : results) {
            if (r.failure() != null) {
                failures.add(r.failure());
                continue;
            }
            if (r.outcome().newVersion() != null) {
                newVersions++;
            } else if (r.outcome().yearsLoaded().isEmpty()) {
                unchanged++;
            }
            yearsLoaded += r.outcome().yearsLoaded().size();
        }
        return new RefreshReport(started, Instant.now(), loader.providerName(), window, count, newVersions, yearsLoaded,
                unchanged, failures);
    }

    /** Keeps what the health checks show: a tenant's refresh replaces that tenant's failures only. */
    private void record(String tenant, RefreshReport report, List<Result> results) {
        Map<String, Integer> failed = new HashMap<>();
        results.stream().filter(r -> r.failure() != null).forEach(r -> failed.merge(r.tenant(), 1, Integer::sum));
        health.updateAndGet(before -> {
            Map<String, Integer> byTenant;
            if (tenant == null) {
                byTenant = failed;
            } else {
                byTenant = new HashMap<>(before.failedByTenant());
                byTenant.remove(tenant);
                byTenant.putAll(failed);
            }
            boolean failing = !report.failures().isEmpty();
            return new Health(tenant == null ? report : before.lastOfAll(), Map.copyOf(byTenant),
                    failing ? report.failures().get(0).message() : before.lastError(),
                    failing ? report.finishedAt() : before.lastFailedAt());
        });
        String scope = tenant == null ? "every tenant" : "tenant " + tenant;
        if (report.failures().isEmpty()) {
            LOG.infof("Holiday refresh of %s: %d locations, %d new versions, %d unchanged", scope, report.locations(),
                    report.newVersions(), report.unchanged());
        } else {
            LOG.warnf("Holiday refresh of %s: %d of %d locations failed and keep their current version", scope,
                    report.failures().size(), report.locations());
        }
    }

    /** How the refreshes on this replica went. */
    public Health health() {
        return health.get();
    }
}
