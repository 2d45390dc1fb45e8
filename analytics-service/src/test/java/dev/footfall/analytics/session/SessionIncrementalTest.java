package dev.footfall.analytics.session;

import static dev.footfall.analytics.session.SessionApi.csv;
import static dev.footfall.analytics.session.SessionApi.row;
import static dev.footfall.analytics.session.SessionApi.sessionsOf;
import static dev.footfall.analytics.session.SessionApi.upload;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.analytics.TestEnvironment;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The incremental rebuild equals a full rebuild: random events for a few users are loaded in several increments (late
 * rows that fall between sessions and merge them, rows exactly one gap apart, duplicates), and after every increment the
 * stored sessions are compared with sessions computed here from scratch, in plain Java.
 */
@QuarkusTest
class SessionIncrementalTest extends TestEnvironment {

    private static final Duration GAP = Duration.ofMinutes(15);
    private static final Set<String> INTENT = Set.of("Scooter Selected - User", "Scooter Selected - Auto",
            "Qr Scanner - Scanned Succeeded");
    private static final Set<String> BOOKED = Set.of("Ride Started - Successful", "Ride Done - Successful", "Rating Screen");
    private static final String[] EVENTS = {"Application Opened", "Location Services Dialogue Opened",
            "Scooter Selected - User", "Scooter Selected - Auto", "Qr Scanner - Scanned Succeeded", "List Of Payment Shown",
            "Ride Started - Failed", "Ride Started - Successful", "Ride Done - Successful", "Rating Screen"};
    private static final Instant DAY = Instant.parse("2022-06-01T06:00:00Z");

    // city and version may be empty (a missing value): a session takes those of its first event that has one
    private record Event(String user, String device, String name, Instant at, String city, String version) {
    }

    private record Session(String device, Instant start, Instant end, int events, boolean intent, boolean booked,
            String city, String version) {
    }

    private static final String[] CITIES = {"", "", "paris", "riga"};
    private static final String[] VERSIONS = {"", "", "1.0", "2.0"};

    @Test
    void incrementalRebuildEqualsFullRebuildOnRandomData() {
        Random random = new Random(20240601);
        String[] users = {"Inc-A", "inc-b", "INC-C", "inc-d", "inc-e", "inc-f"};
        Set<Event> loaded = new HashSet<>();
        List<Event> all = new ArrayList<>();
        for (int increment = 0; increment < 6; increment++) {
            List<Event> batch = new ArrayList<>();
            for (String user : users) {
                String device = random.nextInt(5) == 0 ? "Dev-2" : "dev-1";
                Instant t = DAY.plusSeconds(random.nextInt(12 * 3600));
                int n = 1 + random.nextInt(12);
                for (int i = 0; i < n; i++) {
                    batch.add(new Event(random.nextBoolean() ? user : user.toUpperCase(Locale.ROOT), device,
                            EVENTS[random.nextInt(EVENTS.length)], t, CITIES[random.nextInt(CITIES.length)],
                            VERSIONS[random.nextInt(VERSIONS.length)]));
                    int kind = random.nextInt(10);
                    // Mostly short steps; sometimes exactly one gap, just under it, or a long pause.
                    t = t.plusSeconds(kind < 6 ? 5 + random.nextInt(300) : kind == 6 ? 900 : kind == 7 ? 899
                            : 901 + random.nextInt(7200));
                }
            }
            if (increment > 0) {
                // Late rows just between existing events: often inside a gap, merging two sessions.
                for (int i = 0; i < 8; i++) {
                    Event e = all.get(random.nextInt(all.size()));
                    batch.add(new Event(e.user(), e.device(), EVENTS[random.nextInt(EVENTS.length)],
                            e.at().plusSeconds(random.nextInt(1200)), CITIES[random.nextInt(CITIES.length)],
                            VERSIONS[random.nextInt(VERSIONS.length)]));
                }
                batch.add(all.get(random.nextInt(all.size()))); // a duplicate of a stored row
            }
            Collections.shuffle(batch, random);
            upload(csv(batch.stream().map(e -> row(e.user(), e.city(), e.version(), e.device(), e.name(),
                    e.at().toString())).toList()));
            for (Event e : batch) {
                if (loaded.add(e)) {
                    all.add(e);
                }
            }
            assertSessions(users, all, "after increment " + increment);
        }
        JsonPath rebuilt = given().auth().oauth2(Tokens.admin()).post("/v1/sessions/rebuild").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(rebuilt.getLong("sessions") > 0);
        assertSessions(users, all, "after a full rebuild");
        // The full rebuild drops the session indexes and builds them again by the names it drops next time.
        assertEquals(rebuilt.getLong("sessions"), given().auth().oauth2(Tokens.admin()).post("/v1/sessions/rebuild")
                .then().statusCode(200).extract().jsonPath().getLong("sessions"));
        assertSessions(users, all, "after a second full rebuild");
    }

    private static void assertSessions(String[] users, List<Event> all, String when) {
        for (String user : users) {
            String key = user.toLowerCase(Locale.ROOT);
            List<Session> expected = reference(all.stream().filter(e -> e.user().equalsIgnoreCase(key)).toList());
            JsonPath actual = sessionsOf(user);
            List<Session> got = new ArrayList<>();
            List<Map<String, Object>> sessions = actual.getList("sessions");
            for (Map<String, Object> s : sessions) {
                got.add(new Session((String) s.get("device_id"), Instant.parse((String) s.get("started_at")),
                        Instant.parse((String) s.get("ended_at")), (Integer) s.get("event_count"),
                        (Boolean) s.get("has_intent"), (Boolean) s.get("booked"), (String) s.get("city"),
                        (String) s.get("app_version")));
            }
            assertEquals(expected, got, "sessions of " + key + " " + when);
        }
    }

    /**
     * Sessions from scratch: per lower-cased device, events by time (ties in load order: the list is in upload order
     * and the sort is stable), a new session at a gap of 15 minutes or more.
     */
    private static List<Session> reference(List<Event> events) {
        Map<String, List<Event>> byDevice = new TreeMap<>();
        for (Event e : events) {
            byDevice.computeIfAbsent(e.device().toLowerCase(Locale.ROOT), d -> new ArrayList<>()).add(e);
        }
        TreeSet<Session> out = new TreeSet<>((a, b) -> a.start().equals(b.start()) ? a.device().compareTo(b.device())
                : a.start().compareTo(b.start()));
        byDevice.forEach((device, list) -> {
            list.sort((a, b) -> a.at().compareTo(b.at()));
            Instant start = null;
            Instant end = null;
            int n = 0;
            boolean intent = false;
            boolean booked = false;
            String city = null;
            String version = null;
            for (Event e : list) {
                if (end != null && Duration.between(end, e.at()).compareTo(GAP) >= 0) {
                    out.add(new Session(device, start, end, n, intent, booked, city, version));
                    start = null;
                }
                if (start == null) {
                    start = e.at();
                    n = 0;
                    intent = false;
                    booked = false;
                    city = null;
                    version = null;
                }
                city = city != null || e.city().isEmpty() ? city : e.city();
                version = version != null || e.version().isEmpty() ? version : e.version();
                end = e.at();
                n++;
                intent |= INTENT.contains(e.name());
                booked |= BOOKED.contains(e.name());
            }
            if (start != null) {
                out.add(new Session(device, start, end, n, intent, booked, city, version));
            }
        });
        return new ArrayList<>(out);
    }
}
