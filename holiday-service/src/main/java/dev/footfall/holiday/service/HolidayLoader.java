package dev.footfall.holiday.service;

import dev.footfall.holiday.model.CalendarRef;
import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.repository.HolidayRepository;
import dev.footfall.holiday.service.provider.HolidayProvider;
import dev.footfall.holiday.service.provider.HolidayProviders;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Loads holidays from the provider and writes versions: a new version only when the holidays of a year already
 * answered change; a year loaded for the first time joins the current version; an unchanged answer writes nothing.
 */
@ApplicationScoped
public class HolidayLoader {

    private static final Logger LOG = Logger.getLogger(HolidayLoader.class);

    /** What one load did for one location. */
    public record Outcome(UUID locationId, Integer newVersion, List<Integer> yearsLoaded, List<Integer> unchanged) {
    }

    private final HolidayProviders providers;
    private final SubdivisionCatalog catalog;
    private final HolidayRepository repository;
    private final HolidayCache cache;

    HolidayLoader(HolidayProviders providers, SubdivisionCatalog catalog, HolidayRepository repository,
            HolidayCache cache) {
        this.providers = providers;
        this.catalog = catalog;
        this.repository = repository;
        this.cache = cache;
    }

    /** Loads {@code years} of the tenant's location; everything is written in the tenant's scope. */
    public Uni<Outcome> load(String tenant, Location location, Collection<Integer> years) {
        HolidayProvider provider = providers.active();
        List<Integer> sorted = List.copyOf(new TreeSet<>(years));
        return Uni.createFrom().item(() -> catalog.resolve(location.countryCode(), location.subdivisionCode()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(calendar -> fetch(provider, calendar, sorted))
                .flatMap(byYear -> write(new LocationRef(tenant, location.locationId()), provider.name(), byYear));
    }

    private static Uni<Map<Integer, List<Holiday>>> fetch(HolidayProvider provider, CalendarRef calendar,
            List<Integer> years) {
        return Multi.createFrom().iterable(years)
                .onItem().transformToUni(year -> provider.holidays(calendar, year).map(list -> Map.entry(year, list)))
                .merge(4)
                .collect().asMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private Uni<Outcome> write(LocationRef ref, String provider, Map<Integer, List<Holiday>> byYear) {
        UUID locationId = ref.locationId();
        Map<Integer, String> newHashes = new TreeMap<>();
        byYear.forEach((year, holidays) -> newHashes.put(year, ContentHash.ofYear(holidays)));
        return repository.withLocationLock(ref, conn -> repository.currentVersion(conn, ref)
                .flatMap(current -> repository.effectiveHashes(conn, ref).flatMap(known -> {
                    List<Integer> changed = new ArrayList<>();
                    List<Integer> fresh = new ArrayList<>();
                    List<Integer> unchanged = new ArrayList<>();
                    newHashes.forEach((year, hash) -> {
                        String old = known.get(year);
                        if (old == null) {
                            fresh.add(year);
                        } else if (old.equals(hash)) {
                            unchanged.add(year);
                        } else {
                            changed.add(year);
                        }
                    });
                    if (current != null && changed.isEmpty() && fresh.isEmpty()) {
                        return Uni.createFrom().item(new Outcome(locationId, null, List.of(), unchanged));
                    }
                    Uni<Void> work;
                    Integer newVersion = null;
                    int writeAs;
                    List<Integer> toWrite = new ArrayList<>(fresh);
                    if (current == null || !changed.isEmpty()) {
                        newVersion = current == null ? 1 : current + 1;
                        writeAs = newVersion;
                        toWrite.addAll(changed);
                        Map<Integer, String> all = new TreeMap<>(known);
                        all.putAll(newHashes);
                        work = repository.openVersion(conn, ref, newVersion, ContentHash.ofVersion(all), provider,
                                List.copyOf(new TreeSet<>(toWrite)));
                    } else {
                        writeAs = current;
                        work = Uni.createFrom().voidItem();
                    }
                    for (Integer year : new TreeSet<>(toWrite)) {
                        work = work.flatMap(ignored -> repository.insertYear(conn, ref, year, writeAs,
                                newHashes.get(year), provider, byYear.get(year)));
                    }
                    Integer written = newVersion;
                    return work.flatMap(ignored -> repository.notifyChanged(conn, cache.channel(),
                                    HolidayCache.notification(ref)))
                            .map(ignored -> new Outcome(locationId, written, List.copyOf(new TreeSet<>(fresh)), unchanged));
                })))
                .invoke(outcome -> {
                    if (outcome.newVersion() != null || !outcome.yearsLoaded().isEmpty()) {
                        // Something was written (and NOTIFY sent); an unchanged load leaves the state as it was.
                        cache.invalidate(ref);
                    }
                    if (outcome.newVersion() != null) {
                        LOG.infof("Location %s of tenant %s: holiday version %d written (years %s)", locationId,
                                ref.tenant(), outcome.newVersion(), byYear.keySet());
                    }
                });
    }

    /** Used by tests and the refresh: the provider in use. */
    public String providerName() {
        return providers.active().name();
    }

}
