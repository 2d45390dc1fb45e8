package dev.footfall.holiday.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.holiday.NagerStub;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Nager.Date provider against a local stub server: region filtering, versioning, failures and retries. */
@QuarkusTest
@TestProfile(NagerStub.Profile.class)
class NagerProviderTest {

    @AfterEach
    void reset() {
        NagerStub.mode = NagerStub.Mode.NORMAL;
        NagerStub.extraDay = false;
    }

    @Test
    void nagerAnswerIsFilteredToTheLocationsRegion() {
        String england = HolidayResourceTest.create("GB", "GB-NSM");
        HolidayResourceTest.holidays(england, "2025-01-01", "2025-12-31").statusCode(200)
                .body("holidays.name", contains("New Year's Day", "Easter Monday"));
        String scotland = HolidayResourceTest.create("GB", "GB-GLG");
        HolidayResourceTest.holidays(scotland, "2025-01-01", "2025-12-31", "types", "observance").statusCode(200)
                .body("holidays.name", contains("New Year's Day", "Valentine's Day", "Saint Andrew's Day"));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + england + "/holidays/versions").then()
                .body("versions[0].provider", equalTo("nager"));
    }

    @Test
    void aChangedProviderAnswerCreatesVersion2WhileAsOfBeforeItReturnsVersion1() throws InterruptedException {
        String id = HolidayResourceTest.create("NL", "NL-GE");
        HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31").statusCode(200).body("version", equalTo(1));
        // Answered twice, so version 1's answer is cached: the refresh below must still show at once.
        String etag = HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31").statusCode(200)
                .extract().header("ETag");
        Thread.sleep(20);
        Instant beforeChange = Instant.now();
        Thread.sleep(20);

        NagerStub.extraDay = true;
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("new_versions", greaterThan(0)).body("failures", hasSize(0));

        HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31").statusCode(200)
                .body("version", equalTo(2))
                .body("holidays.date", hasItem("2026-06-15"))
                .header("ETag", not(equalTo(etag)));
        // A client revalidating version 1's tag gets version 2, not 304.
        given().auth().oauth2(Tokens.reader()).header("If-None-Match", etag)
                .get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31").then().statusCode(200)
                .body("version", equalTo(2));
        HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31", "as_of", beforeChange.toString()).statusCode(200)
                .body("version", equalTo(1))
                .body("holidays.date", not(hasItem("2026-06-15")));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays/versions").then().statusCode(200)
                .body("versions.version", contains(2, 1))
                .body("versions[0].current", equalTo(true))
                .body("versions[0].valid_to", nullValue())
                .body("versions[1].current", equalTo(false))
                .body("versions[1].valid_to", equalTo(given().auth().oauth2(Tokens.reader())
                        .get("/v1/locations/" + id + "/holidays/versions").then().extract().path("versions[0].valid_from")))
                .body("versions[0].changed_years", hasItem(2026));

        // The same answer again: no new version.
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("new_versions", equalTo(0));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays/versions").then()
                .body("versions", hasSize(2));
    }

    @Test
    void aFailedRefreshKeepsTheCurrentVersionAndIsReportedInHealth() {
        String id = HolidayResourceTest.create("GB", "GB-WRT");
        int before = NagerStub.requests.get();
        NagerStub.mode = NagerStub.Mode.FAIL;
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures", not(hasSize(0)))
                .body("failures.location_id", hasItem(id))
                .body("new_versions", equalTo(0));
        // Each failed year was tried 1 + 2 retries times.
        assertTrue(NagerStub.requests.get() - before >= 3);
        HolidayResourceTest.holidays(id, "2026-01-01", "2026-12-31").statusCode(200).body("version", equalTo(1));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'holiday-refresh' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'holiday-refresh' }.data.failed_locations", greaterThan(0))
                .body("checks.find { it.name == 'holiday-refresh' }.data.last_error", notNullValue());
        given().get("/q/health/group/holiday-refresh").then().statusCode(503)
                .body("checks[0].status", equalTo("DOWN"));

        // Timeouts are failures too.
        NagerStub.mode = NagerStub.Mode.SLOW;
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures.location_id", hasItem(id));

        NagerStub.mode = NagerStub.Mode.NORMAL;
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures", hasSize(0));
        given().get("/q/health/group/holiday-refresh").then().statusCode(200);
    }

    @Test
    void aTenantsRefreshWritesVersionsOfItsOwnLocationsOnly() {
        String id = java.util.UUID.randomUUID().toString();
        for (String tenant : new String[] {"acme", "globex"}) {
            given().auth().oauth2(Tokens.forRole("admin", tenant)).contentType("application/json")
                    .body("{\"location_id\":\"" + id + "\",\"country_code\":\"NL\",\"subdivision_code\":\"NL-NH\"}")
                    .post("/v1/locations").then().statusCode(201);
        }
        NagerStub.extraDay = true;
        given().auth().oauth2(Tokens.forRole("admin", "globex")).post("/v1/holidays/refresh").then().statusCode(200)
                .body("locations", equalTo(1)).body("new_versions", equalTo(1)).body("failures", hasSize(0));

        given().auth().oauth2(Tokens.forRole("reader", "globex"))
                .get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31").then().statusCode(200)
                .body("version", equalTo(2)).body("holidays.date", hasItem("2026-06-15"));
        given().auth().oauth2(Tokens.forRole("reader", "acme"))
                .get("/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31").then().statusCode(200)
                .body("version", equalTo(1)).body("holidays.date", not(hasItem("2026-06-15")));
        given().auth().oauth2(Tokens.forRole("reader", "acme")).get("/v1/locations/" + id + "/holidays/versions")
                .then().statusCode(200).body("versions.version", contains(1));
    }

    @Test
    void aTenantsSuccessfulRefreshDoesNotHideAnotherTenantsFailures() {
        for (String tenant : new String[] {"initech", "umbrella"}) {
            given().auth().oauth2(Tokens.forRole("admin", tenant)).contentType("application/json")
                    .body("{\"country_code\":\"GB\",\"subdivision_code\":\"GB-KEN\"}").post("/v1/locations").then()
                    .statusCode(201);
        }
        NagerStub.mode = NagerStub.Mode.FAIL;
        given().auth().oauth2(Tokens.forRole("admin", "initech")).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures", hasSize(1));
        NagerStub.mode = NagerStub.Mode.NORMAL;
        given().auth().oauth2(Tokens.forRole("admin", "umbrella")).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures", hasSize(0));
        given().get("/q/health/group/holiday-refresh").then().statusCode(503)
                .body("checks[0].data.failed_locations", equalTo(1));
        given().auth().oauth2(Tokens.forRole("admin", "initech")).post("/v1/holidays/refresh").then().statusCode(200)
                .body("failures", hasSize(0));
        given().get("/q/health/group/holiday-refresh").then().statusCode(200);
    }

    @Test
    void aYearNotLoadedWhileTheProviderIsDownIs503() {
        String id = HolidayResourceTest.create("NL", "NL-LI");
        NagerStub.mode = NagerStub.Mode.FAIL;
        dev.footfall.testing.ProblemAssertions.assertProblem(
                HolidayResourceTest.holidays(id, "2011-01-01", "2011-12-31"), 503).header("Retry-After", notNullValue());
    }
}
