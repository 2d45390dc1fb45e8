package dev.footfall.ingest.rest;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventResourceTest {

    private static Response post(String body) {
        return given().auth().oauth2(Tokens.sensor()).contentType(ContentType.JSON).body(body).post("/v1/events");
    }

    private static List<Integer> seqsOf(String dpuId) {
        return given().auth().oauth2(Tokens.reader()).get("/v1/events?dpu_id=" + dpuId)
                .then().statusCode(200).extract().jsonPath().getList("seq", Integer.class);
    }

    @Test
    void oneEventIsAcceptedDurablyAndReadBack() {
        post("{\"dpu_id\":\"d-one\",\"timestamp\":\"2018-02-24 17:24:25.493z\",\"direction\":1}")
                .then().statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0)).body("unattributed", equalTo(1));
        given().auth().oauth2(Tokens.reader()).get("/v1/events?dpu_id=d-one").then().statusCode(200)
                .body("timestamp", contains("2018-02-24T17:24:25.493Z"))
                .body("direction", contains(1))
                .body("source", contains("test-sensor"));
    }

    @Test
    void duplicatesAreStoredOnceByIdOrByContent() {
        String batch = """
                [{"id":"a-1","dpu_id":283,"timestamp":"2018-02-24T08:00:00Z","direction":1},
                 {"id":"a-1","dpu_id":283,"timestamp":"2018-02-24T08:00:00Z","direction":1},
                 {"dpu_id":"283","timestamp":"2018-02-24T09:00:00+01:00","direction":-1},
                 {"dpu_id":"283","timestamp":"2018-02-24T08:00:00.000Z","direction":-1}]
                """;
        post(batch).then().statusCode(202).body("accepted", equalTo(2)).body("duplicates", equalTo(2));
        post(batch).then().statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(4));
        assertEquals(2, seqsOf("283").size());
    }

    @Test
    void concurrentRetriesStoreTheEventOnce() {
        String event = "{\"id\":\"race-1\",\"dpu_id\":\"d-race\",\"timestamp\":\"2020-01-01T00:00:00Z\",\"direction\":1}";
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        IntStream.range(0, 8).forEach(i -> calls.add(CompletableFuture.supplyAsync(
                () -> post(event).then().statusCode(202).extract().path("accepted"))));
        int accepted = calls.stream().mapToInt(CompletableFuture::join).sum();
        assertEquals(1, accepted);
        assertEquals(1, seqsOf("d-race").size());
    }

    @Test
    void concurrentRequestsAppendedTogetherEachGetTheirOwnAccount() {
        // 48 single-event requests and 16 two-event requests at once: they overlap in pairs (request 2k+1 repeats
        // the event of request 2k), so however the appends group them, each key is stored once and every request's
        // accepted + duplicates is its own size.
        List<CompletableFuture<int[]>> calls = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String one = "{\"id\":\"grp-" + (i / 2) + "\",\"dpu_id\":\"d-grp\",\"timestamp\":\"2020-02-01T00:00:"
                    + String.format("%02d", i / 2) + "Z\",\"direction\":1}";
            String body = i < 48 ? one : "[" + one + ",{\"id\":\"grp-extra-" + i
                    + "\",\"dpu_id\":\"d-grp\",\"timestamp\":\"2020-02-01T01:00:00Z\",\"direction\":-1}]";
            int size = i < 48 ? 1 : 2;
            calls.add(CompletableFuture.supplyAsync(() -> {
                var answer = post(body).then().statusCode(202).extract();
                int accepted = answer.path("accepted");
                int duplicates = answer.path("duplicates");
                assertEquals(size, accepted + duplicates);
                return new int[] {accepted, duplicates};
            }));
        }
        int accepted = calls.stream().mapToInt(c -> c.join()[0]).sum();
        int duplicates = calls.stream().mapToInt(c -> c.join()[1]).sum();
        assertEquals(32 + 16, accepted);
        assertEquals(32, duplicates);
        List<Integer> seqs = seqsOf("d-grp");
        assertEquals(48, seqs.size());
        assertEquals(48, seqs.stream().distinct().count());
    }

    @Test
    void ndjsonIsAccepted() {
        given().auth().oauth2(Tokens.sensor()).contentType("application/x-ndjson")
                .body(("{\"dpu_id\":\"d-nd\",\"timestamp\":\"2021-03-01T10:00:00Z\",\"direction\":1}\n\n"
                        + "{\"dpu_id\":\"d-nd\",\"timestamp\":\"2021-03-01T10:00:01Z\",\"direction\":-1}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(2));
        assertEquals(2, seqsOf("d-nd").size());
    }

    @Test
    void oneInvalidEventRejectsTheBatchWholeNamingEachIndexAndField() {
        String batch = """
                [{"dpu_id":"d-bad","timestamp":"2021-03-01T10:00:00Z","direction":1},
                 {"dpu_id":"d-bad","timestamp":"2021-03-01T10:00:01Z","direction":2},
                 {"dpu_id":"d-bad","timestamp":"yesterday","direction":1},
                 {"timestamp":"2021-03-01T10:00:02Z","direction":-1},
                 {"dpu_id":"%s","timestamp":"2021-03-01T10:00:03Z","direction":1},
                 {"dpu_id":"d-bad","timestamp":"2021-03-01T10:00:04Z","direction":1,"extra":true},
                 [1,2,3]]
                """.formatted("x".repeat(65));
        assertProblem(post(batch).then(), 400)
                .body("errors.index", contains(1, 2, 3, 4, 5, 6))
                .body("errors.field", contains("direction", "timestamp", "dpu_id", "dpu_id", "extra", ""));
        assertEquals(0, seqsOf("d-bad").size());
    }

    @Test
    void controlCharactersInvalidUtf8AndEmptyRangesAreRefused() {
        // NUL would fail the whole appended group in PostgreSQL, other clients' events with it.
        assertProblem(post("{\"dpu_id\":\"d-\\u0000\",\"timestamp\":\"2021-03-01T10:00:00Z\",\"direction\":1}").then(), 400)
                .body("errors.field", contains("dpu_id"));
        byte[] overlong = "{\"dpu_id\":\"d-\u00c0\u00af\",\"timestamp\":\"2021-03-01T10:00:00Z\",\"direction\":1}\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String type : List.of("application/json", "application/x-ndjson")) {
            assertProblem(given().auth().oauth2(Tokens.sensor()).contentType(type).body(overlong)
                    .post("/v1/events").then(), 400);
        }
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("dpu_id", "d-1")
                .queryParam("from", "2021-03-02T00:00:00Z").queryParam("to", "2021-03-01T00:00:00Z")
                .get("/v1/events").then(), 400);
    }

    @Test
    void theLogIsPartitionedByMonthWithOldEventsInTheDefaultPartition() throws Exception {
        java.time.Instant now = java.time.Instant.now();
        post("[{\"dpu_id\":\"d-part\",\"timestamp\":\"" + now + "\",\"direction\":1},"
                + "{\"dpu_id\":\"d-part\",\"timestamp\":\"2001-01-01T00:00:00Z\",\"direction\":1}]")
                .then().statusCode(202).body("accepted", equalTo(2));
        String month = "event_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMM")
                .format(now.atZone(java.time.ZoneOffset.UTC));
        try (var c = dev.footfall.testing.TestDatabase.admin();
                var rs = c.createStatement().executeQuery("""
                        SELECT tableoid::regclass::text, count(*) FROM ingest.event WHERE dpu_id = 'd-part'
                        GROUP BY 1 ORDER BY 1""")) {
            java.util.Map<String, Integer> rows = new java.util.TreeMap<>();
            while (rs.next()) {
                rows.put(rs.getString(1).replace("ingest.", ""), rs.getInt(2));
            }
            assertEquals(java.util.Map.of(month, 1, "event_default", 1), rows);
        }
    }

    @Test
    void aTimestampWithoutOffsetIsRejected() {
        assertProblem(post("{\"dpu_id\":\"d-tz\",\"timestamp\":\"2021-03-01T10:00:00\",\"direction\":1}").then(), 400)
                .body("errors[0].field", equalTo("timestamp"));
    }

    @Test
    void moreThanTenThousandEventsIs413() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"dpu_id\":\"d-big\",\"timestamp\":\"2021-03-01T10:00:00Z\",\"direction\":1}");
        }
        assertProblem(post(body.append("]").toString()).then(), 413);
        assertEquals(0, seqsOf("d-big").size());
    }

    @Test
    void aFullBatchOfTenThousandIsAccepted() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"full-").append(i)
                    .append("\",\"dpu_id\":\"d-full\",\"timestamp\":\"2021-03-01T10:00:00Z\",\"direction\":1}");
        }
        post(body.append("]").toString()).then().statusCode(202).body("accepted", equalTo(10_000));
        given().auth().oauth2(Tokens.reader()).get("/v1/events?dpu_id=d-full&limit=10000").then()
                .body("$", hasSize(10_000));
    }
}
