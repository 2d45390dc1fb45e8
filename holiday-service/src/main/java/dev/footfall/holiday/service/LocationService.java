package dev.footfall.holiday.service;

import dev.footfall.common.db.TenantSql;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.model.LocationRequest;
import dev.footfall.holiday.repository.HolidayRepository;
import dev.footfall.holiday.repository.LocationRepository;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/** A tenant's locations: validation of their codes, the seed set (the default tenant's), deactivation. */
@ApplicationScoped
public class LocationService {

    private static final Logger LOG = Logger.getLogger(LocationService.class);
    private static final String SEED = "seed/locations.csv";

    private final LocationRepository locations;
    private final SubdivisionCatalog catalog;
    private final HolidayLoader loader;
    private final RefreshService refresh;
    private final HolidayCache cache;
    private final HolidayRepository holidays;
    private final TenantSql tenantSql;

    LocationService(LocationRepository locations, SubdivisionCatalog catalog, HolidayLoader loader,
            RefreshService refresh, HolidayCache cache, HolidayRepository holidays, TenantSql tenantSql) {
        this.locations = locations;
        this.catalog = catalog;
        this.loader = loader;
        this.refresh = refresh;
        this.cache = cache;
        this.holidays = holidays;
        this.tenantSql = tenantSql;
    }

    /**
     * Loads the seed locations that are not there yet, as the default tenant's; a deactivated seed location stays
     * deactivated.
     */
    void seed(@Observes StartupEvent event) {
        List<LocationRequest> rows = readSeed();
        int inserted = locations.insertMissing(Tenant.DEFAULT, rows).await().indefinitely();
        LOG.infof("Seed locations: %d of %d inserted", inserted, rows.size());
    }

    /**
     * Adds a location after checking its codes, and loads its holidays before answering so that it has data at once.
     * A provider failure does not undo the location: its holidays are then loaded on the first query.
     */
    public Uni<Location> create(String tenant, LocationRequest request) {
        String country = request.countryCode().toUpperCase(Locale.ROOT);
        String subdivision = request.subdivisionCode() == null ? null : request.subdivisionCode().toUpperCase(Locale.ROOT);
        UUID id = request.locationId() == null ? UUID.randomUUID() : request.locationId();
        // Checking may build a library calendar (reads XML): off the event loop.
        return Uni.createFrom().item(() -> catalog.resolve(country, subdivision))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(calendar -> locations.insert(tenant, id, country, subdivision))
                .onItem().ifNull().failWith(() -> ProblemException.conflict("A location with id " + id + " already exists"))
                .call(location -> loader.load(tenant, location, refresh.windowYears())
                        .onFailure().recoverWithItem(e -> {
                            LOG.warnf("Holidays of new location %s not loaded yet (loaded on first query): %s", id,
                                    e.getMessage());
                            return null;
                        }));
    }

    public Uni<Location> get(String tenant, UUID id) {
        return locations.find(tenant, id).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No location " + id));
    }

    public Uni<List<Location>> list(String tenant, boolean includeInactive) {
        return locations.list(tenant, includeInactive);
    }

    /** Deactivates the tenant's location and tells the other replicas in the same transaction. */
    public Uni<Location> deactivate(String tenant, UUID id) {
        LocationRef ref = new LocationRef(tenant, id);
        return tenantSql.transaction(tenant, conn -> locations.deactivate(conn, tenant, id)
                        .call(location -> location == null ? Uni.createFrom().voidItem()
                                : holidays.notifyChanged(conn, cache.channel(), HolidayCache.notification(ref))))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("No active location " + id))
                .invoke(location -> cache.invalidate(ref));
    }

    private static List<LocationRequest> readSeed() {
        var stream = LocationService.class.getClassLoader().getResourceAsStream(SEED);
        if (stream == null) {
            throw new IllegalStateException("Missing " + SEED);
        }
        List<LocationRequest> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#") || line.startsWith("location_id")) {
                    continue;
                }
                String[] f = line.trim().split(",");
                String subdivision = f.length > 2 && !f[2].isBlank() ? f[2] : null;
                rows.add(new LocationRequest(UUID.fromString(f[0]), f[1], subdivision));
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + SEED, e);
        }
        return rows;
    }
}
