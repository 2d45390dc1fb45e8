package dev.footfall.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A daily reset at a local wall-clock time in a time zone, as instants. On a daylight-saving change the local time may
 * not exist (spring forward: it moves later by the length of the gap, 02:30 becomes 03:30) or happen twice (fall back: the
 * first, earlier occurrence counts), so a day has exactly one reset either way.
 */
public record DailyReset(ZoneId zone, LocalTime at) {

    /** The reset of a local date. */
    public Instant on(LocalDate date) {
        return ZonedDateTime.of(date, at, zone).withEarlierOffsetAtOverlap().toInstant();
    }

    /** The latest reset at or before {@code t}. */
    public Instant atOrBefore(Instant t) {
        LocalDate date = t.atZone(zone).toLocalDate();
        Instant reset = on(date);
        return reset.isAfter(t) ? on(date.minusDays(1)) : reset;
    }

    /** The earliest reset strictly after {@code t}. */
    public Instant after(Instant t) {
        LocalDate date = t.atZone(zone).toLocalDate();
        Instant reset = on(date);
        return reset.isAfter(t) ? reset : on(date.plusDays(1));
    }
}
