package dev.footfall.count.counting;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The count semantics of DESIGN.md, checked through the API against the reference model and exact numbers. */
@QuarkusTest
class CountingTest {

    private static Instant t(String s) {
        return Instant.parse(s);
    }

    @Test
    void densitySampleCountsMatchTheReferenceModel() throws Exception {
        CountingFixture f = new CountingFixture("density");
        f.space("A", "UTC", null, null);
        f.space("B", "UTC", null, null);
        // Doorway X in A's outer wall (DPU 283, +1 enters A); doorway Z between A and B (DPU 423, +1 enters A, leaves B).
        f.link("X", t("2018-01-01T00:00:00Z"), "A", 1);
        f.link("Z", t("2018-01-01T00:00:00Z"), "A", 1, "B", -1);
        f.place("283", "X", t("2018-01-01T00:00:00Z"));
        f.place("423", "Z", t("2018-01-01T00:00:00Z"));

        List<EventLog.Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/density/dpu_data.csv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.startsWith("\"timestamp\"")) {
                    continue;
                }
                String[] c = line.replace("\"", "").split(",");
                events.add(f.event(c[2], c[0], Integer.parseInt(c[1])));
            }
        }
        assertEquals(563, events.size());
        for (int i = 0; i < events.size(); i += 100) {
            f.arrive(events.subList(i, Math.min(events.size(), i + 100)));
        }
        EventLog.awaitReconciled();

        List<Instant> instants = new ArrayList<>();
        events.forEach(e -> instants.add(e.ts()));
        Collections.sort(instants);
        for (int i = 0; i < instants.size(); i += 23) {
            Instant at = instants.get(i);
            assertEquals(f.expected("A", at), f.countAt("A", at), "A at " + at);
            assertEquals(f.expected("B", at), f.countAt("B", at), "B at " + at);
            assertEquals(f.expected("A", at.minusMillis(1)), f.countAt("A", at.minusMillis(1)), "A before " + at);
        }
        Instant end = instants.get(instants.size() - 1);
        assertEquals(f.expected("A", end), f.countAt("A", end));
        assertEquals(f.expected("B", end), f.countAt("B", end));
        assertNull(f.countAt("A", instants.get(0).minusSeconds(1)));
    }

    @Test
    void countAsOfIsOneBackwardIndexStepNotAScan() throws Exception {
        CountingFixture f = new CountingFixture("plan");
        f.space("big", "UTC", null, null);
        f.link("door", t("2019-01-01T00:00:00Z"), "big", 1);
        f.place("s", "door", t("2019-01-01T00:00:00Z"));
        List<EventLog.Event> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            events.add(f.event("s", t("2019-02-01T00:00:00Z").plusSeconds(i * 7L).toString(), i % 3 == 2 ? -1 : 1));
        }
        f.arrive(events);
        EventLog.awaitReconciled();
        EventLog.execute("ANALYZE count.space_event");
        // As count-service runs it: its own role, in a transaction of the tenant, under the row-level policies.
        try (var c = dev.footfall.testing.TestDatabase.as("count"); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT set_config('footfall.tenant', 'default', true)");
            var rs = s.executeQuery("""
                    EXPLAIN (ANALYZE, FORMAT JSON) SELECT ts, count_after FROM count.space_event
                    WHERE tenant = 'default' AND space_id = 'plan-big' AND ts <= '2019-02-01T03:00:00Z'
                    ORDER BY ts DESC, seq DESC LIMIT 1""");
            rs.next();
            String plan = rs.getString(1);
            org.junit.jupiter.api.Assertions.assertTrue(plan.contains("\"Index Only Scan\"") || plan.contains("\"Index Scan\""), plan);
            org.junit.jupiter.api.Assertions.assertTrue(plan.contains("\"Scan Direction\": \"Backward\""), plan);
            org.junit.jupiter.api.Assertions.assertTrue(plan.contains("_pkey\""), plan);
            org.junit.jupiter.api.Assertions.assertFalse(plan.contains("\"Sort\""), plan);
            org.junit.jupiter.api.Assertions.assertFalse(plan.contains("\"Seq Scan\""), plan);
        }
        assertEquals(f.expected("big", t("2019-02-01T03:00:00Z")), f.countAt("big", t("2019-02-01T03:00:00Z")));
    }

    @Test
    void clampAtZeroAndNullBeforeTheFirstEvent() {
        CountingFixture f = new CountingFixture("clamp");
        f.space("room", "UTC", null, null);
        f.link("door", t("2020-01-01T00:00:00Z"), "room", 1);
        f.place("s1", "door", t("2020-01-01T00:00:00Z"));
        f.arrive(List.of(
                f.event("s1", "2020-01-02T10:00:00Z", -1),
                f.event("s1", "2020-01-02T10:01:00Z", -1),
                f.event("s1", "2020-01-02T10:02:00Z", 1),
                f.event("s1", "2020-01-02T10:03:00Z", 1),
                f.event("s1", "2020-01-02T10:04:00Z", -1)));
        EventLog.awaitReconciled();
        assertNull(f.countAt("room", t("2020-01-02T09:59:59Z")));
        assertEquals(0, f.countAt("room", t("2020-01-02T10:00:00Z")));
        assertEquals(0, f.countAt("room", t("2020-01-02T10:01:30Z")));
        assertEquals(1, f.countAt("room", t("2020-01-02T10:02:00Z")));
        assertEquals(2, f.countAt("room", t("2020-01-02T10:03:59Z")));
        assertEquals(1, f.countAt("room", t("2020-01-03T00:00:00Z")));
    }

    @Test
    void nestedSpacesCountTheirOwnDoorways() {
        CountingFixture f = new CountingFixture("nested");
        f.space("building", "UTC", null, null);
        f.space("lobby", "UTC", null, "building");
        f.space("hall", "UTC", null, "building");
        Instant from = t("2021-01-01T00:00:00Z");
        f.link("entrance", from, "building", 1, "lobby", 1);
        f.link("inner", from, "lobby", -1, "hall", 1);
        f.place("e", "entrance", from);
        f.place("i", "inner", from);
        f.arrive(List.of(
                f.event("e", "2021-01-02T09:00:00Z", 1),
                f.event("e", "2021-01-02T09:01:00Z", 1),
                f.event("e", "2021-01-02T09:02:00Z", 1),
                f.event("i", "2021-01-02T09:05:00Z", 1),
                f.event("i", "2021-01-02T09:06:00Z", 1),
                f.event("e", "2021-01-02T09:10:00Z", -1)));
        EventLog.awaitReconciled();
        Instant at = t("2021-01-02T09:20:00Z");
        assertEquals(2, f.countAt("building", at));
        assertEquals(0, f.countAt("lobby", at));
        assertEquals(2, f.countAt("hall", at));
        assertEquals(2, f.countAt("lobby", t("2021-01-02T09:05:30Z")));
    }

    @Test
    void lateEventBeforeMoveCountsForOldDoorway() {
        CountingFixture f = new CountingFixture("move");
        f.space("A", "UTC", null, null);
        f.space("B", "UTC", null, null);
        Instant from = t("2022-01-01T00:00:00Z");
        f.link("toA", from, "A", 1);
        f.link("toB", from, "B", 1);
        f.place("s", "toA", from);
        f.arrive(List.of(f.event("s", "2022-01-02T08:00:00Z", 1), f.event("s", "2022-01-02T08:30:00Z", 1)));
        EventLog.awaitReconciled();
        f.place("s", "toB", t("2022-01-02T12:00:00Z"));
        f.arrive(List.of(f.event("s", "2022-01-02T13:00:00Z", 1)));
        // Hours late, after the move: still counts where the sensor was at its own time.
        f.arrive(List.of(f.event("s", "2022-01-02T09:00:00Z", 1), f.event("s", "2022-01-02T11:59:59Z", -1)));
        EventLog.awaitReconciled();
        assertEquals(2, f.countAt("A", t("2022-01-02T20:00:00Z")));
        assertEquals(3, f.countAt("A", t("2022-01-02T11:00:00Z")));
        assertEquals(1, f.countAt("B", t("2022-01-02T20:00:00Z")));
        assertNull(f.countAt("B", t("2022-01-02T12:30:00Z")));
        for (String s : List.of("A", "B")) {
            for (String at : List.of("2022-01-02T08:10:00Z", "2022-01-02T09:30:00Z", "2022-01-02T12:00:00Z", "2022-01-03T00:00:00Z")) {
                assertEquals(f.expected(s, t(at)), f.countAt(s, t(at)), s + " at " + at);
            }
        }
    }

    @Test
    void backDatedMoveReattributesLoggedEvents() {
        CountingFixture f = new CountingFixture("backdate");
        f.space("A", "UTC", null, null);
        f.space("B", "UTC", null, null);
        Instant from = t("2022-02-01T00:00:00Z");
        f.link("toA", from, "A", 1);
        f.link("toB", from, "B", 1);
        f.place("s", "toA", from);
        f.arrive(List.of(f.event("s", "2022-02-02T08:00:00Z", 1), f.event("s", "2022-02-02T10:00:00Z", 1),
                f.event("s", "2022-02-02T11:00:00Z", 1)));
        EventLog.awaitReconciled();
        assertEquals(3, f.countAt("A", t("2022-02-02T12:00:00Z")));
        // Someone reports that the sensor was really moved at 09:00.
        f.place("s", "toB", t("2022-02-02T09:00:00Z"));
        EventLog.awaitReconciled();
        assertEquals(1, f.countAt("A", t("2022-02-02T12:00:00Z")));
        assertEquals(2, f.countAt("B", t("2022-02-02T12:00:00Z")));
    }

    @Test
    void linkChangeSplitsAttributionAtItsInstant() {
        CountingFixture f = new CountingFixture("links");
        f.space("A", "UTC", null, null);
        f.space("B", "UTC", null, null);
        f.link("d", t("2023-01-01T00:00:00Z"), "A", 1);
        f.place("s", "d", t("2023-01-01T00:00:00Z"));
        f.arrive(List.of(f.event("s", "2023-01-05T10:00:00Z", 1), f.event("s", "2023-01-05T14:00:00Z", 1)));
        EventLog.awaitReconciled();
        f.link("d", t("2023-01-05T12:00:00Z"), "B", -1);
        f.arrive(List.of(f.event("s", "2023-01-05T15:00:00Z", -1), f.event("s", "2023-01-05T11:00:00Z", 1)));
        EventLog.awaitReconciled();
        assertEquals(2, f.countAt("A", t("2023-01-05T23:00:00Z")));
        assertEquals(1, f.countAt("B", t("2023-01-05T23:00:00Z")));
        assertEquals(0, f.countAt("B", t("2023-01-05T14:30:00Z")));
        given().auth().oauth2(Tokens.reader()).get("/v1/doorways/" + f.id("d")).then().statusCode(200)
                .body("links.size()", equalTo(2))
                .body("links[0].valid_to", equalTo("2023-01-05T12:00:00Z"))
                .body("spaces[0].space_id", equalTo(f.id("B")));
    }

    @Test
    void dailyResetFollowsAmsterdamAcrossDaylightSavingChanges() {
        CountingFixture f = new CountingFixture("dst");
        // 02:30 does not exist on 2021-03-28 (clocks jump 02:00 -> 03:00) and happens twice on 2021-10-31.
        f.space("cafe", "Europe/Amsterdam", "02:30", null);
        f.link("door", t("2021-01-01T00:00:00Z"), "cafe", 1);
        f.place("s", "door", t("2021-01-01T00:00:00Z"));
        f.arrive(List.of(
                f.event("s", "2021-03-27T20:00:00Z", 1), f.event("s", "2021-03-27T21:00:00Z", 1),
                f.event("s", "2021-03-28T01:00:00Z", 1),
                f.event("s", "2021-10-30T20:00:00Z", 1), f.event("s", "2021-10-31T00:20:00Z", 1),
                f.event("s", "2021-10-31T01:10:00Z", 1)));
        EventLog.awaitReconciled();
        // Spring: the reset moves to 03:30 CEST = 01:30Z, so the 01:00Z event still counts on the old day.
        assertEquals(3, f.countAt("cafe", t("2021-03-28T01:29:59Z")));
        assertEquals(0, f.countAt("cafe", t("2021-03-28T01:30:00Z")));
        // Autumn: the first 02:30 (CEST, 00:30Z) resets; the second (CET, 01:30Z) does not.
        assertEquals(2, f.countAt("cafe", t("2021-10-31T00:29:59Z")));
        assertEquals(0, f.countAt("cafe", t("2021-10-31T00:30:00Z")));
        assertEquals(1, f.countAt("cafe", t("2021-10-31T01:45:00Z")));
        assertEquals(0, f.countAt("cafe", t("2021-11-01T02:00:00Z")));
        for (String at : List.of("2021-03-27T22:00:00Z", "2021-03-28T02:00:00Z", "2021-10-31T01:00:00Z")) {
            assertEquals(f.expected("cafe", t(at)), f.countAt("cafe", t(at)), at);
        }
    }

    @Test
    void duplicatesAndRetriesAreCountedOnce() {
        CountingFixture f = new CountingFixture("dupes");
        f.space("room", "UTC", null, null);
        f.link("door", t("2020-01-01T00:00:00Z"), "room", 1);
        f.place("s", "door", t("2020-01-01T00:00:00Z"));
        List<EventLog.Event> batch = List.of(f.event("s", "2020-06-01T10:00:00Z", 1),
                f.event("s", "2020-06-01T10:00:00Z", 1), f.event("s", "2020-06-01T10:05:00Z", 1));
        assertEquals(2, EventLog.append(batch));
        assertEquals(0, EventLog.append(batch));
        EventLog.awaitReconciled();
        assertEquals(2, f.countAt("room", t("2020-06-01T11:00:00Z")));
    }

    @Test
    void randomizedStreamWithLateArrivalsMatchesTheReferenceModel() {
        CountingFixture f = new CountingFixture("random");
        Random random = new Random(20261121L);
        f.space("site", "Europe/Amsterdam", "04:00", null);
        f.space("east", "Europe/Amsterdam", null, "site");
        f.space("west", "UTC", "00:00", "site");
        Instant start = t("2024-03-29T00:00:00Z");
        f.link("main", start, "site", 1, "east", 1);
        f.link("side", start, "site", 1, "west", 1);
        f.link("between", start, "east", 1, "west", -1);
        f.place("m", "main", start);
        f.place("s", "side", start);
        f.place("b", "between", start);
        List<EventLog.Event> events = new ArrayList<>();
        String[] dpus = {"m", "s", "b"};
        for (int i = 0; i < 3000; i++) {
            Instant ts = start.plusSeconds(60 + random.nextInt(4 * 24 * 3600));
            int direction = random.nextInt(10) < 6 ? 1 : -1;
            events.add(f.event(dpus[random.nextInt(3)], ts.toString(), direction));
        }
        events.sort(java.util.Comparator.comparing(EventLog.Event::ts));
        // Arrival: mostly in order, a fifth of the events hours late.
        List<EventLog.Event> late = new ArrayList<>();
        List<EventLog.Event> onTime = new ArrayList<>();
        events.forEach(e -> (random.nextInt(5) == 0 ? late : onTime).add(e));
        for (int i = 0; i < onTime.size(); i += 400) {
            f.arrive(onTime.subList(i, Math.min(onTime.size(), i + 400)));
        }
        Collections.shuffle(late, random);
        for (int i = 0; i < late.size(); i += 150) {
            f.arrive(late.subList(i, Math.min(late.size(), i + 150)));
        }
        EventLog.awaitReconciled();
        for (int i = 0; i < 60; i++) {
            Instant at = start.plusSeconds(random.nextInt(5 * 24 * 3600));
            for (String space : List.of("site", "east", "west")) {
                assertEquals(f.expected(space, at), f.countAt(space, at), space + " at " + at);
            }
        }
    }

    @Test
    void lateBatchesAcrossManySpacesFoldExactlyThroughCountOffsets() throws Exception {
        CountingFixture f = new CountingFixture("late");
        Random random = new Random(20261122L);
        int spaces = 12;
        Instant start = t("2025-05-01T00:00:00Z");
        for (int s = 0; s < spaces; s++) {
            boolean resets = s % 4 == 3;
            f.space("s" + s, resets ? "Europe/Amsterdam" : "UTC", resets ? "03:00" : null, null);
            f.link("d" + s, start, "s" + s, 1);
        }
        // Doorways between neighbours: one event counts in two spaces.
        for (int s = 0; s + 1 < spaces; s += 3) {
            f.link("between" + s, start, "s" + s, 1, "s" + (s + 1), -1);
        }
        List<String> dpus = new ArrayList<>();
        for (int i = 0; i < 2 * spaces; i++) {
            String doorway = i % 5 == 4 ? "between" + (3 * ((i / 5) % 4)) : "d" + (i % spaces);
            f.place("p" + i, doorway, start);
            dpus.add("p" + i);
        }
        int span = 3 * 24 * 3600;
        List<EventLog.Event> history = new ArrayList<>();
        for (int i = 0; i < 2400; i++) {
            history.add(f.event(dpus.get(random.nextInt(dpus.size())), start.plusSeconds(60 + random.nextInt(span)).toString(),
                    random.nextInt(10) < 6 ? 1 : -1));
        }
        history.sort(java.util.Comparator.comparing(EventLog.Event::ts));
        for (int i = 0; i < history.size(); i += 500) {
            f.arrive(history.subList(i, Math.min(history.size(), i + 500)));
        }
        EventLog.awaitReconciled();
        // Two late batches, each one slice, spread over the whole history of every space and shuffled.
        for (int batch = 0; batch < 2; batch++) {
            List<EventLog.Event> late = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                late.add(f.event(dpus.get(random.nextInt(dpus.size())), start.plusSeconds(60 + random.nextInt(span)).toString(),
                        random.nextInt(10) < 7 ? 1 : -1));
            }
            f.arrive(late);
            EventLog.awaitReconciled();
        }
        try (var c = EventLog.connect(); var rs = c.createStatement().executeQuery(
                "SELECT count(DISTINCT space_id) FROM count.space_offset WHERE space_id LIKE 'late-%'")) {
            rs.next();
            org.junit.jupiter.api.Assertions.assertTrue(rs.getInt(1) > spaces / 2, "the late folds recorded offsets");
        }
        for (int i = 0; i < 20; i++) {
            Instant at = start.plusSeconds(random.nextInt(span + 7200));
            for (int s = 0; s < spaces; s++) {
                assertEquals(f.expected("s" + s, at), f.countAt("s" + s, at), "s" + s + " at " + at);
            }
        }
        // Buckets read the same offsets: each hour's closing count is the count as of its last instant.
        for (String space : List.of("s0", "s3", "s7")) {
            List<String> ends = given().auth().oauth2(Tokens.reader())
                    .get("/v1/spaces/" + f.id(space) + "/counts?from=2025-05-02T00:00:00Z&to=2025-05-03T00:00:00Z&interval=1h")
                    .then().statusCode(200).body("buckets.size()", equalTo(24)).extract().path("buckets.end");
            List<Integer> counts = given().auth().oauth2(Tokens.reader())
                    .get("/v1/spaces/" + f.id(space) + "/counts?from=2025-05-02T00:00:00Z&to=2025-05-03T00:00:00Z&interval=1h")
                    .then().extract().path("buckets.count_end");
            for (int b = 0; b < ends.size(); b++) {
                Instant end = t(ends.get(b));
                assertEquals(f.expected(space, end.minusMillis(1)), counts.get(b), space + " bucket ending " + end);
            }
        }
        // The real-time counters rebuilt from history, and the history as of now, agree with the model.
        given().auth().oauth2(Tokens.admin()).post("/v1/spaces/realtime/rebuild").then().statusCode(200);
        for (int s = 0; s < spaces; s++) {
            Instant now = Instant.now();
            given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("s" + s) + "/count").then().statusCode(200)
                    .body("count", equalTo(f.expected("s" + s, now)));
        }
    }

    @Test
    void aSpaceChangeIsVisibleToTheNextCountReadInThisAndOtherReplicas() throws Exception {
        CountingFixture f = new CountingFixture("cache");
        f.space("room", "UTC", null, null);
        f.link("door", t("2020-01-01T00:00:00Z"), "room", 1);
        f.place("s", "door", t("2020-01-01T00:00:00Z"));
        f.arrive(List.of(f.event("s", "2020-01-02T10:00:00Z", 1)));
        EventLog.awaitReconciled();
        String count = "/v1/spaces/" + f.id("room") + "/count";
        given().auth().oauth2(Tokens.reader()).get(count).then().statusCode(200).body("count", equalTo(1));
        // Changed through this replica: a daily reset has passed since the only event, so the next read is 0.
        given().auth().oauth2(Tokens.admin()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"name\":\"room\",\"daily_reset\":\"00:00\"}").put("/v1/spaces/" + f.id("room"))
                .then().statusCode(200);
        given().auth().oauth2(Tokens.reader()).get(count).then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(Tokens.reader()).get(count + "?at=2020-01-02T12:00:00Z").then().body("count", equalTo(1));
        given().auth().oauth2(Tokens.reader()).get(count + "?at=2020-01-03T12:00:00Z").then().body("count", equalTo(0));
        // Changed by another replica: it commits, then notifies every replica on footfall_topology.
        EventLog.execute("UPDATE count.space SET daily_reset = NULL WHERE space_id = '" + f.id("room") + "'");
        EventLog.execute("NOTIFY footfall_topology");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        Integer seen = 0;
        while (!Integer.valueOf(1).equals(seen) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            seen = given().auth().oauth2(Tokens.reader()).get(count).then().statusCode(200).extract().path("count");
        }
        assertEquals(1, seen);
        given().auth().oauth2(Tokens.reader()).get(count + "?at=2020-01-03T12:00:00Z").then().body("count", equalTo(1));
        given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("nowhere") + "/count").then().statusCode(404);
    }

    @Test
    void countsBucketsAlignToLocalDaysWithEntrancesAndExits() {
        CountingFixture f = new CountingFixture("buckets");
        f.space("shop", "Europe/Amsterdam", "03:00", null);
        f.link("door", t("2024-01-01T00:00:00Z"), "shop", 1);
        f.place("s", "door", t("2024-01-01T00:00:00Z"));
        f.arrive(List.of(
                f.event("s", "2024-06-10T08:00:00Z", 1), f.event("s", "2024-06-10T08:10:00Z", 1),
                f.event("s", "2024-06-10T08:20:00Z", 1), f.event("s", "2024-06-10T09:30:00Z", -1),
                f.event("s", "2024-06-11T07:00:00Z", 1)));
        EventLog.awaitReconciled();
        given().auth().oauth2(Tokens.reader())
                .get("/v1/spaces/" + f.id("shop") + "/counts?from=2024-06-10T06:00:00Z&to=2024-06-12T00:00:00Z&interval=1d")
                .then().statusCode(200)
                .body("buckets.size()", equalTo(3))
                .body("buckets[0].start", equalTo("2024-06-09T22:00:00Z"))
                .body("buckets[0].count_start", nullValue())
                .body("buckets[0].count_end", equalTo(2))
                .body("buckets[0].max", equalTo(3))
                .body("buckets[0].entrances", equalTo(3))
                .body("buckets[0].exits", equalTo(1))
                .body("buckets[1].start", equalTo("2024-06-10T22:00:00Z"))
                .body("buckets[1].count_start", equalTo(2))
                .body("buckets[1].min", equalTo(0))
                .body("buckets[1].count_end", equalTo(1))
                .body("buckets[2].count_start", equalTo(1));
        given().auth().oauth2(Tokens.reader())
                .get("/v1/spaces/" + f.id("shop") + "/counts?from=2024-06-10T08:00:00Z&to=2024-06-10T10:00:00Z&interval=1h")
                .then().statusCode(200)
                .body("buckets.size()", equalTo(2))
                .body("buckets[0].count_end", equalTo(3))
                .body("buckets[1].count_start", equalTo(3))
                .body("buckets[1].count_end", equalTo(2));
    }

    @Test
    void replayRestoresHistoryFromTheRawLog() throws Exception {
        CountingFixture f = new CountingFixture("replay");
        f.space("hall", "UTC", null, null);
        f.link("door", t("2020-01-01T00:00:00Z"), "hall", 1);
        f.place("s", "door", t("2020-01-01T00:00:00Z"));
        f.arrive(List.of(f.event("s", "2020-03-01T10:00:00Z", 1), f.event("s", "2020-03-01T11:00:00Z", 1),
                f.event("s", "2020-03-02T12:00:00Z", 1)));
        EventLog.awaitReconciled();
        // Lose the first day's history, as if those events had never been folded.
        EventLog.execute("DELETE FROM count.space_event WHERE space_id = '" + f.id("hall") + "' AND ts < '2020-03-02'");
        EventLog.execute("UPDATE count.space_event SET count_after = 1 WHERE space_id = '" + f.id("hall") + "'");
        assertEquals(1, f.countAt("hall", t("2020-03-03T00:00:00Z")));
        String location = given().auth().oauth2(Tokens.admin())
                .post("/v1/spaces/" + f.id("hall") + "/replay?from=2020-03-01T00:00:00Z&to=2020-03-02T00:00:00Z")
                .then().statusCode(202).body("status", equalTo("queued")).extract().header("Location");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String status = "queued";
        while (!status.equals("done") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            status = given().auth().oauth2(Tokens.reader()).get(location).then().statusCode(200).extract().path("status");
        }
        assertEquals("done", status);
        given().auth().oauth2(Tokens.reader()).get(location).then().body("events_done", equalTo(2))
                .body("events_total", equalTo(2));
        assertEquals(3, f.countAt("hall", t("2020-03-03T00:00:00Z")));
    }
}
