package dev.footfall.holiday.rest;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.common.db.TenantSql;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The cache of rendered answers and of location states: cached answers are byte for byte what the REST layer writes,
 * carry an ETag, and a change is visible to the very next query.
 */
@QuarkusTest
class AnswerCacheTest {

    @Inject
    TenantSql tenantSql;

    static ExtractableResponse<Response> get(String path, String ifNoneMatch) {
        var request = given().auth().oauth2(Tokens.reader());
        if (ifNoneMatch != null) {
            request = request.header("If-None-Match", ifNoneMatch);
        }
        return request.get(path).then().extract();
    }

    @Test
    void cachedAnswersAreIdenticalToUncachedOnesAndCarryAnETag() {
        String id = HolidayResourceTest.create("GB", "GB-CMA");
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        var first = get(path, null);
        var second = get(path, null);
        assertEquals(200, first.statusCode());
        assertEquals("application/json;charset=UTF-8", first.contentType());
        assertArrayEquals(first.asByteArray(), second.asByteArray());
        String etag = first.header("ETag");
        assertTrue(etag.matches("\"v1-[0-9a-f]{24}\""), etag);
        assertEquals(etag, second.header("ETag"));
        assertEquals("private, no-cache", first.header("Cache-Control"));

        // The same record written by the REST layer (the several-locations answer is not cached) has these bytes.
        String several = given().auth().oauth2(Tokens.reader()).queryParam("location_id", id)
                .queryParam("from", "2026-01-01").queryParam("to", "2026-12-31").get("/v1/holidays").then()
                .statusCode(200).extract().asString();
        String single = new String(first.asByteArray(), StandardCharsets.UTF_8);
        assertTrue(single.startsWith("{\"location_id\":\"" + id + "\",\"country_code\":\"GB\""), single);
        assertTrue(several.contains("\"locations\":[" + single + "]"), several);

        // Revalidation: 304 without a body while the tag matches (also weak, in a list, or *), 200 otherwise.
        for (String tag : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            var notModified = get(path, tag);
            assertEquals(304, notModified.statusCode(), tag);
            assertEquals(etag, notModified.header("ETag"));
            assertEquals(0, notModified.asByteArray().length);
        }
        assertEquals(200, get(path, "\"v1-000000000000000000000000\"").statusCode());

        // Other ranges and formats are other answers, with other tags (equal bytes would have equal tags).
        var firstHalf = get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-06-30", null);
        assertNotEquals(etag, firstHalf.header("ETag"));
        assertTrue(firstHalf.asByteArray().length < first.asByteArray().length);
        var ics = get("/v1/locations/" + id + "/holidays.ics?from=2026-01-01&to=2026-12-31", null);
        assertEquals(200, ics.statusCode());
        assertTrue(ics.contentType().startsWith("text/calendar"));
        assertNotEquals(etag, ics.header("ETag"));
        assertArrayEquals(ics.asByteArray(),
                get("/v1/locations/" + id + "/holidays.ics?from=2026-01-01&to=2026-12-31", null).asByteArray());
        assertEquals(304, get("/v1/locations/" + id + "/holidays.ics?from=2026-01-01&to=2026-12-31",
                ics.header("ETag")).statusCode());
    }

    @Test
    void aDeactivationIsVisibleToTheNextQueryEvenWhenTheAnswerWasCached() {
        String id = HolidayResourceTest.create("GB", "GB-NNH");
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        String ics = "/v1/locations/" + id + "/holidays.ics?from=2026-01-01&to=2026-12-31";
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(path, null).statusCode());
            assertEquals(200, get(ics, null).statusCode());
        }
        String etag = get(path, null).header("ETag");
        given().auth().oauth2(Tokens.admin()).delete("/v1/locations/" + id).then().statusCode(200);
        assertProblem(HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31"), 404);
        assertProblem(given().auth().oauth2(Tokens.reader()).get(ics).then(), 404);
        // Not even a 304 for a tag of before.
        assertProblem(given().auth().oauth2(Tokens.reader()).header("If-None-Match", etag).get(path).then(), 404);
    }

    @Test
    void aChangeMadeBehindTheServicesBackIsSeenWithinTheLocationTtl() throws InterruptedException {
        // As another replica whose NOTIFY was lost would leave it: the row changed, nobody told this replica.
        String id = HolidayResourceTest.create("NL", "NL-FR");
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        assertEquals(200, get(path, null).statusCode());
        assertEquals(200, get(path, null).statusCode());
        tenantSql.query("default", "UPDATE holiday.location SET active = false, deactivated_at = now() "
                + "WHERE tenant = $1 AND location_id = $2", Tuple.of("default", UUID.fromString(id)))
                .await().indefinitely();
        long start = System.nanoTime();
        int status = 200;
        // location-ttl is 2 s; the background re-read runs every second.
        while (status == 200 && System.nanoTime() - start < 4_000_000_000L) {
            status = get(path, null).statusCode();
            Thread.sleep(50);
        }
        assertEquals(404, status, "still answered after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "seen after more than the TTL");
    }

    @Test
    void aYearLoadedLaterJoinsTheVersionAndLeavesCachedAnswersAsTheyWere() {
        // (A changed answer creating version 2 is in NagerProviderTest: the offline provider cannot change.)
        String id = HolidayResourceTest.create("NL", "NL-GR");
        HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31").statusCode(200).body("version", equalTo(1));
        String etag = get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31", null).header("ETag");
        HolidayResourceTest.holidays(id, "2012-01-01", "2012-12-31").statusCode(200).body("version", equalTo(1))
                .body("holidays.date[0]", equalTo("2012-01-01"));
        assertEquals(etag, get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31", null).header("ETag"));
    }
}
