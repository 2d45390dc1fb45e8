package dev.footfall.analytics.service.session;

import dev.footfall.analytics.model.session.SessionRow;
import dev.footfall.common.problem.ProblemException;
import dev.footfall.common.time.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the app's CSV export line by line from a stream (never the whole file): {@code ;}-separated, a header naming
 * the columns (in any order; extra columns are ignored), fields optionally in double quotes. Each data row becomes a
 * {@link SessionRow} or a rejection with its line number.
 */
public final class SessionCsvReader {

    public static final List<String> COLUMNS = List.of("anonymous_id", "business_zoned", "context_app_version",
            "context_device_id", "context_os_name", "event_name", "received_at", "created_at");
    private static final int ANONYMOUS_ID = 0, ZONE = 1, APP_VERSION = 2, DEVICE_ID = 3, OS = 4, EVENT = 5,
            RECEIVED = 6, CREATED = 7;
    private static final int MAX_FIELD = 512;

    /** Receives the outcome of each data row. */
    public interface Sink {
        void row(SessionRow row);

        void rejected(long line, String message);
    }

    private final BufferedReader in;
    private final MessageDigest sha256;
    private int[] positions;
    private int width;
    private long line;

    public SessionCsvReader(InputStream body) {
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the header; a missing or incomplete header rejects the whole upload (400) before anything is stored. */
    public void readHeader() {
        String header = readLine();
        if (header == null || header.isBlank()) {
            throw ProblemException.badRequest("body", "is empty; expected a header line " + String.join(";", COLUMNS));
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> names = split(header);
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            at.putIfAbsent(names.get(i).trim().toLowerCase(Locale.ROOT), i);
        }
        positions = new int[COLUMNS.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < COLUMNS.size(); c++) {
            Integer i = at.get(COLUMNS.get(c));
            if (i == null) {
                missing.add(COLUMNS.get(c));
            } else {
                positions[c] = i;
            }
        }
        if (!missing.isEmpty()) {
            throw ProblemException.badRequest("header", "line 1 lacks the column(s) " + String.join(", ", missing)
                    + "; expected " + String.join(";", COLUMNS) + " (separated by ;)");
        }
        width = names.size();
    }

    /** Reads the next data row into the sink; false at the end of the stream. Blank lines are skipped. */
    public boolean next(Sink sink) {
        String text;
        do {
            text = readLine();
            if (text == null) {
                return false;
            }
        } while (text.isBlank());
        List<String> fields = split(text);
        if (fields == null) {
            sink.rejected(line, "unterminated quoted field");
            return true;
        }
        if (fields.size() != width) {
            sink.rejected(line, "has " + fields.size() + " fields; the header has " + width);
            return true;
        }
        String[] v = new String[COLUMNS.size()];
        for (int c = 0; c < v.length; c++) {
            String f = fields.get(positions[c]).trim();
            if (f.length() > MAX_FIELD) {
                sink.rejected(line, COLUMNS.get(c) + ": longer than " + MAX_FIELD + " characters");
                return true;
            }
            v[c] = f.isEmpty() ? null : f;
        }
        if (v[ANONYMOUS_ID] == null && v[DEVICE_ID] == null) {
            sink.rejected(line, "anonymous_id and context_device_id are both empty");
            return true;
        }
        if (v[EVENT] == null) {
            sink.rejected(line, "event_name: is required");
            return true;
        }
        if (v[CREATED] == null) {
            sink.rejected(line, "created_at: is required");
            return true;
        }
        Instant created;
        Instant received = null;
        try {
            created = Timestamps.parseAssumingUtc(v[CREATED]);
        } catch (Timestamps.InvalidTimestampException e) {
            sink.rejected(line, "created_at: " + e.getMessage());
            return true;
        }
        if (v[RECEIVED] != null) {
            try {
                received = Timestamps.parseAssumingUtc(v[RECEIVED]);
            } catch (Timestamps.InvalidTimestampException e) {
                sink.rejected(line, "received_at: " + e.getMessage());
                return true;
            }
        }
        String anonymousId = v[ANONYMOUS_ID] == null ? "" : v[ANONYMOUS_ID];
        String deviceId = v[DEVICE_ID] == null ? "" : v[DEVICE_ID];
        sink.row(new SessionRow(hash(anonymousId, deviceId, v[ZONE], v[APP_VERSION], v[OS], v[EVENT], received, created),
                anonymousId, deviceId, v[ZONE], v[APP_VERSION], v[OS], v[EVENT], received, created));
        return true;
    }

    /** SHA-256 of the row's content (timestamps as instants, so two spellings of one instant are one row), 128 bits. */
    private UUID hash(String anonymousId, String deviceId, String zone, String version, String os, String event,
            Instant received, Instant created) {
        sha256.reset();
        for (String s : new String[] {anonymousId, deviceId, zone, version, os, event,
                received == null ? null : received.toString(), created.toString()}) {
            if (s == null) {
                sha256.update((byte) 1);
            } else {
                sha256.update((byte) 0);
                sha256.update(s.getBytes(StandardCharsets.UTF_8));
            }
            sha256.update((byte) 0x1f);
        }
        ByteBuffer b = ByteBuffer.wrap(sha256.digest());
        return new UUID(b.getLong(), b.getLong());
    }

    private String readLine() {
        try {
            String s = in.readLine();
            if (s != null) {
                line++;
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits one line at {@code ;}; a field in double quotes may hold {@code ;} and doubled quotes. Null if malformed. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>(10);
        int i = 0;
        int n = text.length();
        while (true) {
            if (i < n && text.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        return null;
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            b.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        b.append(c);
                    }
                }
                out.add(b.toString());
                if (i < n && text.charAt(i) != ';') {
                    return null;
                }
            } else {
                int end = text.indexOf(';', i);
                out.add(text.substring(i, end < 0 ? n : end));
                i = end < 0 ? n : end;
            }
            if (i >= n) {
                return out;
            }
            i++; // the separator
            if (i == n) {
                out.add("");
                return out;
            }
        }
    }
}
