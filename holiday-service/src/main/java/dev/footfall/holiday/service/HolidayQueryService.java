package dev.footfall.holiday.service;

import dev.footfall.common.problem.ProblemException;
import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.HolidayVersions;
import dev.footfall.holiday.model.HolidaysAnswer;
import dev.footfall.holiday.model.Location;
import dev.footfall.holiday.model.LocationHolidays;
import dev.footfall.holiday.model.LocationRef;
import dev.footfall.holiday.repository.HolidayRepository;
import dev.footfall.holiday.repository.HolidayRepository.VersionRef;
import dev.footfall.holiday.repository.HolidayRepository.YearHolidays;
import dev.footfall.holiday.repository.LocationRepository;
import dev.footfall.holiday.repository.LocationRepository.LocationState;
import dev.footfall.holiday.service.provider.HolidayProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Answers holiday queries from the stored versions, loading years on demand, through the in-process cache. A query
 * names its tenant: another tenant's location is as unknown as a missing one.
 */
@ApplicationScoped
public class HolidayQueryService {

    /** An answer, the tenant it is given to, and when its version became current (the iCalendar DTSTAMP). */
    public record Answer(String tenant, LocationHolidays holidays, Instant versionSince) {
    }

    private final LocationRepository locations;
    private final HolidayRepository repository;
    private final HolidayLoader loader;
    private final HolidayCache cache;
    private final RefreshService refresh;

    HolidayQueryService(LocationRepository locations, HolidayRepository repository, HolidayLoader loader,
            HolidayCache cache, RefreshService refresh) {
        this.locations = locations;
        this.repository = repository;
        this.loader = loader;
        this.cache = cache;
        this.refresh = refresh;
    }

    /**
     * The answer rendered in {@code format}, with its ETag. A repeated query for the current version is answered from
     * memory on the calling (event-loop) thread: a fresh location state and the bytes rendered before.
     */
    public Uni<HolidayCache.Rendered> rendered(String tenant, UUID locationId, HolidayQuery query,
            AnswerFormat format) {
        LocationRef ref = new LocationRef(tenant, locationId);
        if (query.asOf() == null) {
            LocationState fresh = cache.freshState(ref);
            if (fresh != null && fresh.location().active() && fresh.currentVersion() != null) {
                HolidayCache.Rendered hit = cache.answer(answerKey(ref, fresh.currentVersion(), query, format));
                if (hit != null) {
                    return Uni.createFrom().item(hit);
                }
            }
        }
        return activeState(ref).flatMap(state -> version(state, query).flatMap(version -> {
            HolidayCache.AnswerKey key = answerKey(ref, version.version(), query, format);
            HolidayCache.Rendered hit = cache.answer(key);
            if (hit != null) {
                return Uni.createFrom().item(hit);
            }
            return years(state, version.version(), query).map(byYear -> {
                Answer answer = new Answer(tenant, body(state.location(), version.version(), byYear, query),
                        version.validFrom());
                byte[] bytes = format.render(answer);
                HolidayCache.Rendered rendered = new HolidayCache.Rendered(bytes, ContentHash.etag(version.version(), bytes));
                cache.putAnswer(key, rendered);
                return rendered;
            });
        }));
    }

    private static HolidayCache.AnswerKey answerKey(LocationRef id, int version, HolidayQuery query,
            AnswerFormat format) {
        return new HolidayCache.AnswerKey(id, version, query.from(), query.to(), query.typeBits(), format.name());
    }

    public Uni<Answer> holidays(String tenant, UUID locationId, HolidayQuery query) {
        return activeState(new LocationRef(tenant, locationId)).flatMap(state -> version(state, query)
                .flatMap(version -> years(state, version.version(), query)
                        .map(byYear -> new Answer(tenant, body(state.location(), version.version(), byYear, query),
                                version.validFrom()))));
    }

    public Uni<HolidaysAnswer> holidays(String tenant, List<UUID> locationIds, HolidayQuery query) {
        List<Uni<Answer>> answers = new ArrayList<>();
        for (UUID id : new LinkedHashSet<>(locationIds)) {
            answers.add(holidays(tenant, id, query));
        }
        return Uni.join().all(answers).andFailFast().map(list -> new HolidaysAnswer(query.from(), query.to(),
                list.stream().map(Answer::holidays).toList()));
    }

    public Uni<HolidayVersions> versions(String tenant, UUID locationId) {
        LocationRef ref = new LocationRef(tenant, locationId);
        return locations.find(tenant, locationId).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("No location " + locationId))
                .flatMap(location -> repository.versions(ref))
                .map(versions -> new HolidayVersions(locationId, versions));
    }

    /** The location's state (from memory while fresh); 404 when unknown or deactivated. */
    private Uni<LocationState> activeState(LocationRef ref) {
        LocationState cached = cache.freshState(ref);
        Uni<LocationState> state = cached != null ? Uni.createFrom().item(cached) : cache.readState(ref);
        return state.map(s -> {
            if (s == null || !s.location().active()) {
                throw ProblemException.notFound("No active location " + ref.locationId());
            }
            return s;
        });
    }

    private Uni<VersionRef> version(LocationState state, HolidayQuery query) {
        LocationRef id = state.ref();
        if (query.asOf() != null) {
            return repository.versionAt(id, query.asOf()).map(ref -> {
                if (ref == null) {
                    throw ProblemException.notFound("Location " + id.locationId() + " had no holidays as of "
                            + query.asOf());
                }
                return ref;
            });
        }
        if (state.currentVersion() != null) {
            return Uni.createFrom().item(new VersionRef(state.currentVersion(), state.currentSince()));
        }
        // Nothing loaded yet (the load at creation failed or is still running elsewhere): load now.
        TreeSet<Integer> years = new TreeSet<>(refresh.windowYears());
        for (int y = query.from().getYear(); y <= query.to().getYear(); y++) {
            years.add(y);
        }
        return onDemand(state, years).flatMap(outcome -> cache.readState(id))
                .map(s -> new VersionRef(s.currentVersion(), s.currentSince()));
    }

    /** The holidays of every year in the range; years never loaded are loaded together, in one write. */
    private Uni<List<YearHolidays>> years(LocationState state, int version, HolidayQuery query) {
        List<Integer> wanted = new ArrayList<>();
        for (int y = query.from().getYear(); y <= query.to().getYear(); y++) {
            wanted.add(y);
        }
        return lookUp(state.ref(), version, wanted).flatMap(found -> {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                if (found.get(i) == null) {
                    missing.add(wanted.get(i));
                }
            }
            if (missing.isEmpty()) {
                return Uni.createFrom().item(found);
            }
            return onDemand(state, missing)
                    .flatMap(outcome -> lookUp(state.ref(), version, wanted))
                    .map(again -> {
                        if (again.contains(null)) {
                            throw new IllegalStateException("Years " + missing + " of location " + state.ref()
                                    + " did not load");
                        }
                        return again;
                    });
        });
    }

    /** Loads years a query needs; a provider that cannot answer makes the query a 503 (retry later). */
    private Uni<HolidayLoader.Outcome> onDemand(LocationState state, java.util.Collection<Integer> years) {
        return loader.load(state.tenant(), state.location(), years).onFailure(HolidayProvider.ProviderException.class)
                .transform(e -> ProblemException.unavailable("The holiday provider"));
    }

    /** Cached or stored holidays per year, in order; null for a year never loaded. */
    private Uni<List<YearHolidays>> lookUp(LocationRef id, int version, List<Integer> years) {
        List<Uni<YearHolidays>> lookups = new ArrayList<>(years.size());
        for (int year : years) {
            HolidayCache.YearKey key = new HolidayCache.YearKey(id, version, year);
            YearHolidays cached = cache.year(key);
            lookups.add(cached != null ? Uni.createFrom().item(cached) : repository.year(id, year, version).invoke(found -> {
                if (found != null) {
                    cache.putYear(key, found);
                }
            }));
        }
        if (lookups.size() == 1) {
            return lookups.get(0).map(one -> java.util.Collections.singletonList(one));
        }
        return Uni.join().all(lookups).andFailFast();
    }

    private static LocationHolidays body(Location location, int version, List<YearHolidays> years, HolidayQuery query) {
        List<Holiday> holidays = new ArrayList<>();
        for (YearHolidays year : years) {
            for (Holiday h : year.holidays()) {
                if (!h.date().isBefore(query.from()) && !h.date().isAfter(query.to()) && query.types().contains(h.type())) {
                    holidays.add(h);
                }
            }
        }
        // A substitute day can fall into the next year's list (a 31 December moved to 2 January).
        holidays.sort(java.util.Comparator.comparing(Holiday::date).thenComparing(Holiday::name));
        return new LocationHolidays(location.locationId(), location.countryCode(), location.subdivisionCode(), version,
                holidays);
    }
}
