package dev.footfall.analytics.service.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Writes a realistic, deterministic (by seed) CSV export of the scooter app: users with several sessions each over 30
 * days, funnels that thin out from opening the app to a rated ride, rides long enough that the ride end often falls in
 * a session of its own, anonymous ids in changing letter case, re-sent duplicate rows and a few broken rows.
 */
public final class SessionSampleGenerator {

    public static final String HEADER = String.join(";", SessionCsvReader.COLUMNS);
    private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    private static final long SPAN_SECONDS = 30L * 24 * 3600;
    private static final String[] CITIES = {"berlin", "paris", "madrid", "warsaw", "vienna", "lisbon", "oslo", "riga"};
    private static final String[] VERSIONS = {"3.12.0", "3.11.2", "3.11.0", "3.10.4", "3.9.0"};
    private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final SplittableRandom random;
    private final Writer out;
    private final long rows;
    private long written;

    private SessionSampleGenerator(long rows, long seed, Writer out) {
        this.random = new SplittableRandom(seed);
        this.out = out;
        this.rows = rows;
    }

    /** Writes the header and exactly {@code rows} data rows. */
    public static void write(long rows, long seed, Writer out) {
        SessionSampleGenerator g = new SessionSampleGenerator(rows, seed, out);
        g.line(HEADER);
        g.generate();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void generate() {
        long users = Math.max(1, rows / 25);
        while (written < rows) {
            // A few heavy users, many occasional ones.
            long u = (long) (users * Math.pow(random.nextDouble(), 2.0));
            User user = new User(u);
            long at = START.getEpochSecond() * 1000 + (long) (random.nextDouble() * SPAN_SECONDS * 1000);
            session(user, at);
        }
    }

    private void session(User user, long at) {
        long t = event(user, "Application Opened", at);
        if (random.nextDouble() < 0.4) {
            t = event(user, "Location Services Dialogue Opened", step(t));
        }
        if (random.nextDouble() < 0.35) {
            return; // only looked at the map
        }
        t = event(user, random.nextBoolean() ? "Scooter Selected - User" : "Scooter Selected - Auto", step(t));
        if (random.nextDouble() < 0.25) {
            return;
        }
        if (random.nextDouble() < 0.7) {
            t = event(user, "Qr Scanner - Scanned Succeeded", step(t));
        }
        if (random.nextDouble() < 0.6) {
            t = event(user, "List Of Payment Shown", step(t));
        }
        if (random.nextDouble() < 0.12) {
            event(user, "Ride Started - Failed", step(t));
            return;
        }
        if (random.nextDouble() < 0.2) {
            return;
        }
        t = event(user, "Ride Started - Successful", step(t));
        // Rides take 3 to 40 minutes: the ride end often starts a session of its own.
        t = event(user, "Ride Done - Successful", t + 180_000 + (long) (random.nextDouble() * 2_220_000));
        if (random.nextDouble() < 0.5) {
            event(user, "Rating Screen", t + 2_000 + random.nextInt(60_000));
        }
    }

    private long step(long t) {
        return t + 1_000 + (long) (random.nextDouble() * random.nextDouble() * 240_000);
    }

    private long event(User user, String name, long at) {
        if (written >= rows) {
            return at;
        }
        double r = random.nextDouble();
        String anonymousId = r < 0.1 ? user.anonymousId.toUpperCase() : user.anonymousId;
        String created = format(at, random.nextDouble() < 0.1);
        String received = format(at + 200 + random.nextInt(5_000), false);
        String row = String.join(";", anonymousId, user.city, user.version, user.deviceId, user.os, name, received, created);
        if (random.nextDouble() < 0.003) {
            // A broken export line: a truncated timestamp or a lost field.
            row = random.nextBoolean() ? row.substring(0, row.length() - 8) : row.substring(row.indexOf(';') + 1);
        }
        line(row);
        if (random.nextDouble() < 0.02 && written < rows) {
            line(row); // re-sent by the app
        }
        return at;
    }

    private void line(String text) {
        try {
            out.write(text);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!text.equals(HEADER)) {
            written++;
        }
    }

    private static String format(long millis, boolean rfc3339) {
        Instant t = Instant.ofEpochMilli(millis);
        return rfc3339 ? t.toString() : LocalDateTime.ofInstant(t, ZoneOffset.UTC).format(PLAIN);
    }

    /** A user's stable attributes, derived from the user number only. */
    private static final class User {
        final String anonymousId;
        final String deviceId;
        final String city;
        final String version;
        final String os;

        User(long n) {
            SplittableRandom r = new SplittableRandom(n * 0x9E3779B97F4A7C15L + 17);
            anonymousId = "%08x-%04x-4%03x-%04x-%012x".formatted(r.nextInt(), r.nextInt(0x10000), r.nextInt(0x1000),
                    0x8000 | r.nextInt(0x4000), r.nextLong() & 0xffffffffffffL);
            deviceId = "%016X".formatted(r.nextLong());
            double c = r.nextDouble();
            city = CITIES[(int) (CITIES.length * c * c)];
            version = VERSIONS[r.nextInt(VERSIONS.length)];
            os = r.nextDouble() < 0.55 ? "Android" : "iOS";
        }
    }
}
