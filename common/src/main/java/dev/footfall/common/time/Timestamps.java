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
        Instant fast = parseCanonical(text);
        if (fast != null) {
            return fast;
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

    /**
     * The shape almost every client sends, {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)}, read at fixed positions
     * without the regular expression and string copies of the general path (which cost about 1.5 µs a timestamp, most
     * of the parser's time on a batch). Returns null when the text has another shape, so the general path decides; an
     * impossible date or time in this shape (30 February, 24:00) is rejected here with the same message.
     */
    private static Instant parseCanonical(String text) {
        int n = text.length();
        if (n < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        char sep = text.charAt(10);
        if (sep != 'T' && sep != 't' && sep != ' ') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (text.charAt(i) == '.' || text.charAt(i) == ',') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(text.charAt(i))) {
                nanos = nanos * 10 + (text.charAt(i++) - '0');
            }
            int fractionDigits = i - start;
            if (fractionDigits == 0 || (i < n && isDigit(text.charAt(i)))) {
                return null;
            }
            for (int k = fractionDigits; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (text.charAt(i) == 'Z' || text.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 3) == ':') {
            int offsetHours = digits(text, i + 1, 2);
            int offsetMinutes = digits(text, i + 4, 2);
            if ((offsetHours | offsetMinutes) < 0) {
                return null;
            }
            int sign = text.charAt(i) == '-' ? -1 : 1;
            try {
                offsetSeconds = ZoneOffset.ofHoursMinutes(sign * offsetHours, sign * offsetMinutes).getTotalSeconds();
            } catch (java.time.DateTimeException e) {
                throw new InvalidTimestampException("not a valid date and time: \"" + abbreviate(text) + "\"");
            }
        } else {
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            return Instant.ofEpochSecond(local.toEpochSecond(ZoneOffset.UTC) - offsetSeconds, nanos);
        } catch (java.time.DateTimeException e) {
            throw new InvalidTimestampException("not a valid date and time: \"" + abbreviate(text) + "\"");
        }
    }

    /** The value of {@code count} decimal digits at {@code from}, or -1 if one of them is not a digit. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
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
