package dev.footfall.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the timestamp spellings clients really send: RFC 3339 / ISO-8601 with {@code T} or a space, {@code Z}, {@code z}
 * or an offset ({@code +01:00}, {@code +0100}, {@code +01}). Old sensor clients send {@code 2018-02-24 17:24:25.493z};
 * PostgreSQL exports {@code 2021-05-29 08:11:00+00}.
 */
public final class Timestamps {

    private static final Pattern SHAPE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d{1,9})?)?)\\s*([Zz]|[+-]\\d{2}(?::?\\d{2})?)?$");

    private Timestamps() {
    }

    /** Parses a timestamp that must carry an offset or Z. */
    public static Instant parse(String text) {
        return parse(text, false);
    }

    /** Parses a timestamp; one without an offset is read as UTC (for log imports whose exports carry none). */
    public static Instant parseAssumingUtc(String text) {
        return parse(text, true);
    }

    private static Instant parse(String text, boolean assumeUtc) {
        if (text == null) {
            throw new InvalidTimestampException("missing timestamp");
        }
        Matcher m = SHAPE.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidTimestampException("not an RFC 3339 timestamp: \"" + abbreviate(text) + "\"");
        }
        String time = m.group(2).replace(',', '.');
        String offset = m.group(3);
        try {
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + time, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            if (offset == null) {
                if (!assumeUtc) {
                    throw new InvalidTimestampException("timestamp needs an offset or Z: \"" + abbreviate(text) + "\"");
                }
                return local.toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.of(local, offsetOf(offset)).toInstant();
        } catch (java.time.DateTimeException e) {
            throw new InvalidTimestampException("not a valid date and time: \"" + abbreviate(text) + "\"");
        }
    }

    /** Parses a calendar date {@code YYYY-MM-DD}. */
    public static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new InvalidTimestampException("not a date (YYYY-MM-DD): \"" + abbreviate(text) + "\"");
        }
    }

    private static ZoneOffset offsetOf(String offset) {
        if (offset.equalsIgnoreCase("z")) {
            return ZoneOffset.UTC;
        }
        String digits = offset.replace(":", "");
        int sign = digits.charAt(0) == '-' ? -1 : 1;
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3, 5)) : 0;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** A timestamp that cannot be read; the message is fit for a client. */
    public static class InvalidTimestampException extends IllegalArgumentException {
        public InvalidTimestampException(String message) {
            super(message);
        }
    }
}
