package dev.footfall.holiday.rest;

import dev.footfall.common.security.Tenant;
import dev.footfall.holiday.model.Holiday;
import dev.footfall.holiday.model.LocationHolidays;
import dev.footfall.holiday.service.AnswerFormat;
import dev.footfall.holiday.service.HolidayQueryService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Writes holidays as an RFC 5545 iCalendar: CRLF line ends, lines folded at 75 octets, TEXT values escaped, one
 * all-day VEVENT per holiday. The UID depends only on tenant, location, date and name, so a holiday keeps its UID
 * across versions and calendar clients update rather than duplicate it.
 */
final class ICalendar {

    static final String MEDIA_TYPE = "text/calendar";
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The iCalendar rendering of answers, for the cache of rendered answers. */
    static final AnswerFormat FORMAT = new AnswerFormat() {
        @Override
        public String name() {
            return "ics";
        }

        @Override
        public byte[] render(HolidayQueryService.Answer answer) {
            return write(answer).getBytes(StandardCharsets.UTF_8);
        }
    };

    private ICalendar() {
    }

    static String write(HolidayQueryService.Answer answer) {
        LocationHolidays body = answer.holidays();
        String where = body.subdivisionCode() == null ? body.countryCode() : body.subdivisionCode();
        Instant since = answer.versionSince() == null ? Instant.EPOCH : answer.versionSince();
        StringBuilder out = new StringBuilder(256 + body.holidays().size() * 320);
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//Footfall//holiday-service//EN");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "X-WR-CALNAME:" + text("Holidays " + where));
        for (Holiday h : body.holidays()) {
            line(out, "BEGIN:VEVENT");
            line(out, "UID:" + uid(answer.tenant(), body, h));
            line(out, "DTSTAMP:" + STAMP.format(since));
            line(out, "DTSTART;VALUE=DATE:" + DATE.format(h.date()));
            line(out, "DTEND;VALUE=DATE:" + DATE.format(h.date().plusDays(1)));
            line(out, "SUMMARY:" + text(h.substitute() ? h.name() + " (substitute day)" : h.name()));
            if (!h.localName().equals(h.name())) {
                line(out, "DESCRIPTION:" + text(h.localName()));
            }
            line(out, "CATEGORIES:" + text(h.type().toUpperCase(Locale.ROOT)));
            line(out, "TRANSP:TRANSPARENT");
            line(out, "X-FOOTFALL-VERSION:" + body.version());
            line(out, "END:VEVENT");
        }
        line(out, "END:VCALENDAR");
        return out.toString();
    }

    /**
     * Two tenants may each have a location with the same id, so the tenant is part of the UID, which must be unique
     * world-wide; the default tenant's UIDs stay what they were before tenancy, so its subscribers see no new events.
     */
    static String uid(String tenant, LocationHolidays body, Holiday h) {
        String owner = Tenant.DEFAULT.equals(tenant) ? "" : tenant + "|";
        try {
            String key = owner + body.locationId() + "|" + h.date() + "|" + h.name();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return DATE.format(h.date()) + "-" + HexFormat.of().formatHex(digest, 0, 10) + "@holidays.footfall.dev";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5545 TEXT escaping. */
    static String text(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
                .replace("\n", "\\n");
    }

    /** Appends a content line, folded so that no line exceeds 75 octets (never inside a UTF-8 sequence). */
    static void line(StringBuilder out, String content) {
        int octets = 0;
        int limit = 75;
        for (int i = 0; i < content.length(); ) {
            int cp = content.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + size > limit) {
                out.append("\r\n ");
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += size;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
