package dev.footfall.holiday.service;

import dev.footfall.holiday.config.HolidayConfig;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.RefreshReport;
import dev.footfall.holiday.repository.HolidayRepository;
import dev.footfall.holiday.repository.LocationRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Refreshes every active location: the current year, the next ones ({@code refresh.years-ahead}) and every year loaded
 * before. One refresh at a time across all replicas (a PostgreSQL advisory lock). A location whose provider fails keeps
 * its current version; the failure is logged and shown by the health checks.
 */
@ApplicationScoped
public class RefreshService {

    private static final Logger LOG = Logger.getLogger(RefreshService.class);
    /** Advisory lock key of the refresh job ("holiday-refresh"), distinct from the per-location locks. */
    private static final long LOCK_KEY = 0x686f6c2d72656672L;

    private final LocationRepository locations;
    private final HolidayRepository holidays;
    private final HolidayLoader loader;
    private final HolidayConfig config;
    private final Pool pool;
    private final AtomicReference<RefreshReport> last = new AtomicReference<>();
    private final AtomicReference<RefreshReport> lastFailed = new AtomicReference<>();

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

    /** Waits for a refresh running elsewhere to finish, then refreshes. */
    public Uni<RefreshReport> refreshWaiting() {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
                .flatMap(locked -> refreshAll().onTermination().call(() -> conn.preparedQuery(
                        "SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY)).onFailure().recoverWithNull())));
    }

    /** Refreshes unless another replica is refreshing; null when skipped. */
    public Uni<RefreshReport> refreshIfIdle() {
        return pool.withConnection(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1) AS locked")
                .execute(Tuple.of(LOCK_KEY)).flatMap(rows -> {
                    if (!rows.iterator().next().getBoolean("locked")) {
                        LOG.info("Holiday refresh skipped: another replica is refreshing");
                        return Uni.createFrom().nullItem();
                    }
                    return refreshAll().onTermination().call(() -> conn.preparedQuery("SELECT pg_advisory_unlock($1)")
                            .execute(Tuple.of(LOCK_KEY)).onFailure().recoverWithNull());
                }));
    }

    private Uni<RefreshReport> refreshAll() {
        Instant started = Instant.now();
        List<Integer> window = windowYears();
        return locations.list(false).flatMap(active -> Multi.createFrom().iterable(active)
                .onItem().transformToUni(location -> refreshOne(location, window)).merge(4)
                .collect().asList()
                .map(results -> report(started, window, active.size(), results)))
                .invoke(this::record);
    }

    private record Result(HolidayLoader.Outcome outcome, RefreshReport.Failure failure) {
    }

    private Uni<Result> refreshOne(Location location, List<Integer> window) {
        return holidays.loadedYears(location.locationId())
                .flatMap(loaded -> {
                    TreeSet<Integer> years = new TreeSet<>(window);
                    years.addAll(loaded);
                    return loader.load(location, years);
                })
                .map(outcome -> new Result(outcome, null))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Holiday refresh of location %s failed; its current version is kept: %s",
                            location.locationId(), e.getMessage());
                    return new Result(null, new RefreshReport.Failure(location.locationId().toString(),
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

    private void record(RefreshReport report) {
        last.set(report);
        if (report.failures().isEmpty()) {
            LOG.infof("Holiday refresh: %d locations, %d new versions, %d unchanged", report.locations(),
                    report.newVersions(), report.unchanged());
        } else {
            lastFailed.set(report);
            LOG.warnf("Holiday refresh: %d of %d locations failed and keep their current version", report.failures().size(),
                    report.locations());
        }
    }

    /** The last refresh on this replica; null before the first. */
    public RefreshReport last() {
        return last.get();
    }

    /** The last refresh on this replica that had failures; null when none had. */
    public RefreshReport lastFailed() {
        return lastFailed.get();
    }
}
