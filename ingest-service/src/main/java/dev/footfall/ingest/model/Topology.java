package dev.footfall.ingest.model;

import dev.footfall.common.time.DailyReset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one tenant's topology as count-service publishes it: where each sensor was placed when, which spaces
 * each doorway linked to when, and each space's daily reset. Attributes an event by its own timestamp, as the count semantics require.
 */
public record Topology(Map<String, List<Period>> placements, Map<String, List<Link>> links,
        Map<String, DailyReset> resets) {

    public static final Topology EMPTY = new Topology(Map.of(), Map.of(), Map.of());

    /** A doorway (placement) or a link, valid in [from, to). */
    public record Period(String doorwayId, Instant from, Instant to) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && (to == null || t.isBefore(to));
        }
    }

    public record Link(String spaceId, int direction, Instant from, Instant to) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && (to == null || t.isBefore(to));
        }
    }

    /** One space's share of an event. */
    public record Contribution(String spaceId, int delta) {
    }

    /** The spaces an event of this sensor at this instant counts for; empty when the sensor was not placed. */
    public List<Contribution> attribute(String dpuId, Instant at, int direction) {
        List<Period> periods = placements.get(dpuId);
        if (periods == null) {
            return List.of();
        }
        for (Period period : periods) {
            if (period.doorwayId() != null && period.covers(at)) {
                List<Contribution> result = new ArrayList<>(2);
                for (Link link : links.getOrDefault(period.doorwayId(), List.of())) {
                    if (link.covers(at)) {
                        result.add(new Contribution(link.spaceId(), direction * link.direction()));
                    }
                }
                return result;
            }
        }
        return List.of();
    }

    public boolean isPlaced(String dpuId, Instant at) {
        List<Period> periods = placements.get(dpuId);
        return periods != null && periods.stream().anyMatch(p -> p.doorwayId() != null && p.covers(at));
    }
}
