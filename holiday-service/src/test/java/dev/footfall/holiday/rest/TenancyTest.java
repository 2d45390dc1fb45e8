package dev.footfall.holiday.rest;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two tenants through the API: location ids are namespaced per tenant, another tenant's location (with its holidays,
 * versions and iCalendar feed) answers exactly like a missing one, lists and refresh reports cover the caller's
 * tenant only, and no write through one tenant touches the other's location of the same id.
 */
@QuarkusTest
class TenancyTest {

    private static final String ACME = "acme";
    private static final String GLOBEX = "globex";

    private static RequestSpecification as(String tenant, String role) {
        return given().auth().oauth2(Tokens.forRole(role, tenant)).contentType(ContentType.JSON);
    }

    private static String create(String tenant, String locationId, String country, String subdivision) {
        String id = locationId == null ? "" : "\"location_id\":\"" + locationId + "\",";
        return as(tenant, "admin").body("{" + id + "\"country_code\":\"" + country + "\",\"subdivision_code\":\""
                + subdivision + "\"}").post("/v1/locations").then().statusCode(201).extract().path("location_id");
    }

    private static ExtractableResponse<Response> holidays(String tenant, String id) {
        return as(tenant, "reader").get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31").then()
                .extract();
    }

    @Test
    void twoTenantsEachOwnALocationWithTheSameIdAndNeitherSeesTheOther() {
        String shared = UUID.randomUUID().toString();
        create(ACME, shared, "GB", "GB-NSM");
        // Not a conflict: Globex's location of that id is its own.
        create(GLOBEX, shared, "NL", "NL-ZH");
        assertProblem(as(ACME, "admin").body("{\"location_id\":\"" + shared + "\",\"country_code\":\"GB\"}")
                .post("/v1/locations").then(), 409);
        String acmeOnly = create(ACME, null, "GB", "GB-EDH");

        as(ACME, "reader").get("/v1/locations/" + shared).then().statusCode(200)
                .body("country_code", equalTo("GB")).body("subdivision_code", equalTo("GB-NSM"));
        as(GLOBEX, "reader").get("/v1/locations/" + shared).then().statusCode(200)
                .body("country_code", equalTo("NL")).body("subdivision_code", equalTo("NL-ZH"));
        as(ACME, "reader").get("/v1/locations?include_inactive=true").then().statusCode(200)
                .body("location_id", hasItems(shared, acmeOnly))
                .body("location_id", not(hasItem(HolidayResourceTest.NORTH_SOMERSET)));
        as(GLOBEX, "reader").get("/v1/locations?include_inactive=true").then().statusCode(200)
                .body("location_id", hasItem(shared))
                .body("location_id", not(hasItem(acmeOnly)))
                .body("location_id", not(hasItem(HolidayResourceTest.NORTH_SOMERSET)))
                .body("find { it.location_id == '" + shared + "' }.country_code", equalTo("NL"));
        // The default tenant (the seed and everything stored before tenancy) sees neither.
        given().auth().oauth2(Tokens.reader()).get("/v1/locations?include_inactive=true").then().statusCode(200)
                .body("location_id", hasItem(HolidayResourceTest.NORTH_SOMERSET))
                .body("location_id", not(hasItem(shared))).body("location_id", not(hasItem(acmeOnly)));

        // Each tenant's holidays and versions are its own location's.
        as(ACME, "reader").get("/v1/locations/" + shared + "/holidays?from=2026-04-01&to=2026-05-31").then()
                .statusCode(200).body("country_code", equalTo("GB")).body("version", equalTo(1))
                .body("holidays.date", hasItems("2026-04-03", "2026-05-04"))
                .body("holidays.date", not(hasItem("2026-04-27")));
        as(GLOBEX, "reader").get("/v1/locations/" + shared + "/holidays?from=2026-04-01&to=2026-05-31").then()
                .statusCode(200).body("country_code", equalTo("NL")).body("version", equalTo(1))
                .body("holidays.date", hasItems("2026-04-27", "2026-05-05"))
                .body("holidays.date", not(hasItem("2026-05-04")));
        as(GLOBEX, "reader").get("/v1/holidays?location_id=" + shared + "&from=2026-04-27&to=2026-04-27").then()
                .statusCode(200).body("locations[0].country_code", equalTo("NL"))
                .body("locations[0].holidays.local_name", hasItem("Koningsdag"));
        as(ACME, "reader").get("/v1/locations/" + shared + "/holidays/versions").then().statusCode(200)
                .body("versions", hasSize(1));
    }

    @Test
    void anotherTenantsLocationIsAnsweredExactlyLikeAMissingOne() {
        String acmes = create(ACME, null, "GB", "GB-NSM");
        String missing = UUID.randomUUID().toString();
        String etag = holidays(ACME, acmes).header("ETag");
        List<String> paths = List.of("/v1/locations/{id}", "/v1/locations/{id}/holidays?from=2026-01-01&to=2026-12-31",
                "/v1/locations/{id}/holidays?from=2026-01-01&to=2026-12-31&as_of=2999-01-01",
                "/v1/locations/{id}/holidays.ics?from=2026-01-01&to=2026-12-31",
                "/v1/locations/{id}/holidays/versions", "/v1/holidays?location_id={id}&from=2026-01-01&to=2026-12-31");
        for (String path : paths) {
            assertSameAnswer(as(GLOBEX, "reader").get(path.replace("{id}", missing)).then().extract(), missing,
                    as(GLOBEX, "reader").get(path.replace("{id}", acmes)).then().extract(), acmes);
            // Acme's holidays went through the cache, which must not answer another tenant from them.
            assertSameAnswer(revalidating(etag, path.replace("{id}", missing)), missing,
                    revalidating(etag, path.replace("{id}", acmes)), acmes);
        }
        assertSameAnswer(as(GLOBEX, "admin").delete("/v1/locations/" + missing).then().extract(), missing,
                as(GLOBEX, "admin").delete("/v1/locations/" + acmes).then().extract(), acmes);
        // The default tenant's seed locations are no other tenant's either.
        assertProblem(as(ACME, "reader").get("/v1/locations/" + HolidayResourceTest.NORTH_SOMERSET + "/holidays"
                + "?from=2026-01-01&to=2026-12-31").then(), 404);

        as(ACME, "reader").get("/v1/locations/" + acmes).then().statusCode(200).body("active", equalTo(true));
        assertEquals(etag, holidays(ACME, acmes).header("ETag"));
    }

    @Test
    void writesThroughOneTenantNeverTouchTheOthersLocationOfTheSameId() {
        String shared = UUID.randomUUID().toString();
        create(ACME, shared, "GB", "GB-NSM");
        ExtractableResponse<Response> before = holidays(ACME, shared);
        assertEquals(200, before.statusCode());
        holidays(ACME, shared);
        String versions = as(ACME, "reader").get("/v1/locations/" + shared + "/holidays/versions").then()
                .statusCode(200).extract().asString();

        // Globex deactivates, creates, loads and deactivates its own "shared".
        assertProblem(as(GLOBEX, "admin").delete("/v1/locations/" + shared).then(), 404);
        create(GLOBEX, shared, "GB", "GB-NSM");
        assertEquals(200, holidays(GLOBEX, shared).statusCode());
        as(GLOBEX, "reader").get("/v1/locations/" + shared + "/holidays?from=2011-01-01&to=2011-12-31").then()
                .statusCode(200);
        as(GLOBEX, "admin").delete("/v1/locations/" + shared).then().statusCode(200).body("active", equalTo(false));
        assertProblem(as(GLOBEX, "reader").get("/v1/locations/" + shared + "/holidays?from=2026-01-01&to=2026-12-31")
                .then(), 404);

        // Acme's location of that id is as it was: active, same answer (from the cache or not), same versions.
        as(ACME, "reader").get("/v1/locations/" + shared).then().statusCode(200).body("active", equalTo(true))
                .body("deactivated_at", equalTo(null));
        ExtractableResponse<Response> after = holidays(ACME, shared);
        assertEquals(200, after.statusCode());
        assertEquals(before.header("ETag"), after.header("ETag"));
        assertEquals(before.asString(), after.asString());
        assertEquals(versions, as(ACME, "reader").get("/v1/locations/" + shared + "/holidays/versions").then()
                .statusCode(200).extract().asString());
    }

    @Test
    void aRefreshAskedForByATenantCoversItsOwnLocationsOnly() {
        create(ACME, null, "NL", "NL-UT");
        create(GLOBEX, null, "NL", "NL-UT");
        for (String tenant : List.of(ACME, GLOBEX)) {
            int active = as(tenant, "reader").get("/v1/locations").then().extract().path("size()");
            as(tenant, "admin").post("/v1/holidays/refresh").then().statusCode(200)
                    .body("locations", equalTo(active)).body("failures", hasSize(0));
        }
        int defaults = given().auth().oauth2(Tokens.reader()).get("/v1/locations").then().extract().path("size()");
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("locations", equalTo(defaults));
    }

    @Test
    void calendarUidsOfTwoTenantsDifferAndTheDefaultTenantsStayAsBeforeTenancy() throws Exception {
        String shared = UUID.randomUUID().toString();
        create(ACME, shared, "GB", "GB-NSM");
        create(GLOBEX, shared, "GB", "GB-NSM");
        String path = "/v1/locations/" + shared + "/holidays.ics?from=2026-01-01&to=2026-12-31";
        Set<String> acme = uids(as(ACME, "reader").get(path).then().statusCode(200).extract().asString());
        Set<String> globex = uids(as(GLOBEX, "reader").get(path).then().statusCode(200).extract().asString());
        assertEquals(acme.size(), globex.size());
        assertTrue(acme.size() >= 8, acme.toString());
        Set<String> both = new HashSet<>(acme);
        both.retainAll(globex);
        assertEquals(Set.of(), both);

        // The default tenant's UID of Christmas 2026 at North Somerset is computed as before tenancy.
        String ics = given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + HolidayResourceTest.NORTH_SOMERSET
                + "/holidays.ics?from=2026-12-25&to=2026-12-25").then().statusCode(200).extract().asString();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest((HolidayResourceTest.NORTH_SOMERSET + "|2026-12-25|"
                + "Christmas").getBytes(StandardCharsets.UTF_8));
        String uid = "20261225-" + HexFormat.of().formatHex(digest, 0, 10) + "@holidays.footfall.dev";
        assertEquals(Set.of(uid), uids(ics));
    }

    private static ExtractableResponse<Response> revalidating(String etag, String path) {
        return as(GLOBEX, "reader").header("If-None-Match", etag).get(path).then().extract();
    }

    private static Set<String> uids(String ics) {
        Set<String> uids = new HashSet<>();
        ics.lines().filter(l -> l.startsWith("UID:")).forEach(l -> uids.add(l.substring(4)));
        return uids;
    }

    /** Status, content type and body the same but for the id asked for; no entity tag. */
    private static void assertSameAnswer(ExtractableResponse<Response> missing, String missingId,
            ExtractableResponse<Response> other, String otherId) {
        assertEquals(404, missing.statusCode(), missing.asString());
        assertEquals(missing.statusCode(), other.statusCode(), other.asString());
        assertEquals(missing.contentType(), other.contentType());
        assertEquals(missing.asString().replace(missingId, "{id}"), other.asString().replace(otherId, "{id}"));
        assertEquals(null, other.header("ETag"));
    }
}
