package dev.footfall.count.counting;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The count semantics of DESIGN.md written down plainly, with no database and none of the service's code: the tests
 * compare count-service's answers with this.
 */
final class ReferenceModel {

    private record Link(String doorway, String space, int direction, Instant from, Instant to) {
    }

    private record Placement(String dpu, String doorway, Instant from, Instant to) {
    }

    private record Arrived(long order, EventLog.Event event) {
    }

    private final Map<String, ZoneId> zones = new HashMap<>();
    private final Map<String, LocalTime> resets = new HashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();
    private final List<Arrived> events = new ArrayList<>();
    private final java.util.Set<String> keys = new java.util.HashSet<>();

    void space(String id, String zone, String dailyReset) {
        zones.put(id, ZoneId.of(zone));
        if (dailyReset != null) {
            resets.put(id, LocalTime.parse(dailyReset));
        }
    }

    /** Links a doorway from {@code from} on, closing its open links there. {@code spaceDirs}: space, dir, ... */
    void link(String doorway, Instant from, Object... spaceDirs) {
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            if (l.doorway().equals(doorway) && l.to() == null) {
                links.set(i, new Link(l.doorway(), l.space(), l.direction(), l.from(), from));
            }
        }
        for (int i = 0; i < spaceDirs.length; i += 2) {
            links.add(new Link(doorway, (String) spaceDirs[i], (Integer) spaceDirs[i + 1], from, null));
        }
    }

    void place(String dpu, String doorway, Instant from) {
        for (int i = 0; i < placements.size(); i++) {
            Placement p = placements.get(i);
            if (p.dpu().equals(dpu) && p.to() == null) {
                placements.set(i, new Placement(p.dpu(), p.doorway(), p.from(), from));
            }
        }
        placements.add(new Placement(dpu, doorway, from, null));
    }

    void arrive(EventLog.Event e) {
        if (keys.add(e.dpuId() + "|" + e.ts() + "|" + e.direction())) {
            events.add(new Arrived(events.size(), e));
        }
    }

    /** The count of a space as of T; null when no contributing event is at or before T. */
    Integer countAsOf(String space, Instant t) {
        List<long[]> contributions = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        List<Arrived> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing((Arrived a) -> a.event().ts()).thenComparingLong(Arrived::order));
        for (Arrived a : sorted) {
            EventLog.Event e = a.event();
            if (e.ts().isAfter(t)) {
                break;
            }
            int delta = deltaFor(space, e);
            if (delta != 0) {
                contributions.add(new long[] {delta});
                times.add(e.ts());
            }
        }
        if (contributions.isEmpty()) {
            return null;
        }
        int count = 0;
        Instant previous = null;
        for (int i = 0; i < contributions.size(); i++) {
            if (previous != null && resetBetween(space, previous, times.get(i))) {
                count = 0;
            }
            count = Math.max(0, count + (int) contributions.get(i)[0]);
            previous = times.get(i);
        }
        return resetBetween(space, previous, t) ? 0 : count;
    }

    private int deltaFor(String space, EventLog.Event e) {
        for (Placement p : placements) {
            if (p.dpu().equals(e.dpuId()) && p.doorway() != null && covers(p.from(), p.to(), e.ts())) {
                for (Link l : links) {
                    if (l.doorway().equals(p.doorway()) && l.space().equals(space) && covers(l.from(), l.to(), e.ts())) {
                        return e.direction() * l.direction();
                    }
                }
            }
        }
        return 0;
    }

    private static boolean covers(Instant from, Instant to, Instant t) {
        return !t.isBefore(from) && (to == null || t.isBefore(to));
    }

    /** Whether a daily reset of the space falls in (a, b]. Walks the local days, so DST is the zone rules' business. */
    private boolean resetBetween(String space, Instant a, Instant b) {
        LocalTime at = resets.get(space);
        if (at == null || !b.isAfter(a)) {
            return false;
        }
        ZoneId zone = zones.get(space);
        for (LocalDate d = a.atZone(zone).toLocalDate().minusDays(1); !d.isAfter(b.atZone(zone).toLocalDate()); d = d.plusDays(1)) {
            Instant reset = ZonedDateTime.ofLocal(d.atTime(at), zone, null).toInstant();
            if (reset.isAfter(a) && !reset.isAfter(b)) {
                return true;
            }
        }
        return false;
    }
}
