package dev.footfall.holiday.rest;

import static dev.footfall.testing.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Holiday answers of the default (offline, jollyday) provider against known dates, through HTTP and PostgreSQL. */
@QuarkusTest
class HolidayResourceTest {

    // Seed locations (src/main/resources/seed/locations.csv).
    static final String NORTH_SOMERSET = "a2d0d6fd-3a18-4f58-ac36-d2e56bf71a46"; // GB-NSM, England
    static final String WALSALL = "fdbf55b4-1b97-43a8-a096-a71d0b9d6940"; // GB-WLL, England
    static final String FLEVOLAND = "9415913d-fffa-41f9-9323-6d62e6100a31"; // NL-FL
    static final String ZUID_HOLLAND = "ab5df8c0-dfe7-4ca3-a9e4-c77f93e551a7"; // NL-ZH

    static ValidatableResponse holidays(String location, String from, String to, String... extra) {
        var request = given().auth().oauth2(Tokens.reader()).queryParam("from", from).queryParam("to", to);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            request = request.queryParam(extra[i], extra[i + 1]);
        }
        return request.get("/v1/locations/" + location + "/holidays").then();
    }

    static String create(String country, String subdivision) {
        String body = subdivision == null ? "{\"country_code\":\"" + country + "\"}"
                : "{\"country_code\":\"" + country + "\",\"subdivision_code\":\"" + subdivision + "\"}";
        return given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/v1/locations")
                .then().statusCode(201).extract().path("location_id");
    }

    @Test
    void theThirteenSeedLocationsArePresent() {
        given().auth().oauth2(Tokens.reader()).get("/v1/locations").then().statusCode(200)
                .body("location_id", hasItems(NORTH_SOMERSET, WALSALL, FLEVOLAND, ZUID_HOLLAND,
                        "432d10d2-1a7c-4bbd-abd2-85075fb19c71", "d9a11093-b1a4-4c1a-9e2a-7cc951b55a32",
                        "4f2c9d63-73b3-40f4-892d-136599854b87", "423ff765-83ac-472c-9ef7-b3a592696711",
                        "5770db11-e7bf-4044-b54c-d49f69e947ec", "d70aed5a-3960-44fa-9c08-f725c2b03ce8",
                        "e826584c-c32b-4ca1-835f-b7d7416f2958", "e40a0514-03e7-4d28-b7be-38c18a5ae73c",
                        "4c8eb5ba-0140-4b48-924b-899112abe562"));
    }

    @Test
    void england2022HasTheJubileeTheMovedSpringHolidayTheStateFuneralAndSubstituteChristmas() {
        holidays(NORTH_SOMERSET, "2022-01-01", "2022-12-31").statusCode(200)
                .body("location_id", equalTo(NORTH_SOMERSET))
                .body("country_code", equalTo("GB"))
                .body("subdivision_code", equalTo("GB-NSM"))
                .body("version", equalTo(1))
                .body("holidays.date", contains("2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
                        "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27"))
                .body("holidays.find { it.date == '2022-01-03' }.substitute", equalTo(true))
                .body("holidays.find { it.date == '2022-12-27' }.substitute", equalTo(true))
                .body("holidays.find { it.date == '2022-12-26' }.substitute", equalTo(false))
                .body("holidays.find { it.date == '2022-06-03' }.name", equalTo("Queen's Platinum Jubilee"))
                .body("holidays.find { it.date == '2022-09-19' }.name", matchesPattern(".*State Funeral.*"))
                .body("holidays.type", everyItem(equalTo("public")));
    }

    @Test
    void england2023HasTheCoronation() {
        holidays(WALSALL, "2023-01-01", "2023-12-31").statusCode(200)
                .body("holidays.date", contains("2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
                        "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"))
                .body("holidays.find { it.date == '2023-05-08' }.name", equalTo("King's Coronation"));
    }

    @Test
    void weekendChristmasesMoveToTheNextWeekdays() {
        // 2021 and 2027: Christmas on a Saturday, Boxing Day on a Sunday.
        for (int year : List.of(2021, 2027)) {
            holidays(NORTH_SOMERSET, year + "-12-20", year + "-12-31").statusCode(200)
                    .body("holidays.date", contains(year + "-12-27", year + "-12-28"))
                    .body("holidays.substitute", contains(true, true))
                    .body("holidays.name", contains("Christmas", "Boxing Day"));
        }
    }

    @Test
    void goodFridayAndEasterMondayInEngland() {
        holidays(NORTH_SOMERSET, "2024-03-01", "2024-04-30").statusCode(200)
                .body("holidays.date", contains("2024-03-29", "2024-04-01"));
        holidays(NORTH_SOMERSET, "2025-04-01", "2025-04-30").statusCode(200)
                .body("holidays.date", contains("2025-04-18", "2025-04-21"));
    }

    @Test
    void netherlandsFollowsTheAlgemeneTermijnenwet() {
        holidays(FLEVOLAND, "2025-01-01", "2025-12-31").statusCode(200)
                .body("holidays.date", contains("2025-01-01", "2025-04-20", "2025-04-21", "2025-04-26", "2025-05-05",
                        "2025-05-29", "2025-06-08", "2025-06-09", "2025-12-25", "2025-12-26"))
                .body("holidays.find { it.date == '2025-04-26' }.local_name", equalTo("Koningsdag"))
                .body("holidays.find { it.date == '2025-04-26' }.substitute", equalTo(true))
                .body("holidays.find { it.date == '2025-05-05' }.local_name", equalTo("Bevrijdingsdag"))
                .body("holidays.date", not(hasItem("2025-04-18")))
                .body("holidays.date", not(hasItem("2025-12-31")));
        // Bevrijdingsdag every year, not only every fifth; King's Day on the 27th when that is not a Sunday.
        holidays(ZUID_HOLLAND, "2024-04-01", "2024-05-31").statusCode(200)
                .body("holidays.date", hasItems("2024-04-27", "2024-05-05"));
        holidays(ZUID_HOLLAND, "2023-05-01", "2023-05-31").statusCode(200).body("holidays.date", hasItem("2023-05-05"));
        // 2020: King's Day on a Monday stays; 2014's first King's Day was on 26 April (27th a Sunday).
        holidays(ZUID_HOLLAND, "2014-04-01", "2014-04-30").statusCode(200)
                .body("holidays.find { it.local_name == 'Koningsdag' }.date", equalTo("2014-04-26"));
    }

    @Test
    void observancesOnlyWhenAskedFor() {
        holidays(FLEVOLAND, "2025-04-01", "2025-04-30", "types", "observance").statusCode(200)
                .body("holidays.date", contains("2025-04-18", "2025-04-20", "2025-04-21", "2025-04-26"))
                .body("holidays.find { it.date == '2025-04-18' }.type", equalTo("observance"))
                .body("holidays.find { it.date == '2025-04-18' }.local_name", equalTo("Goede vrijdag"));
        holidays(FLEVOLAND, "2025-12-01", "2025-12-31", "types", "all").statusCode(200)
                .body("holidays.date", contains("2025-12-25", "2025-12-26"));
        assertProblem(holidays(FLEVOLAND, "2025-01-01", "2025-12-31", "types", "carnival"), 400)
                .body("errors[0].field", equalTo("types"));
    }

    @Test
    void scotlandAndNorthernIrelandDifferFromEngland() {
        String edinburgh = create("GB", "GB-EDH");
        holidays(edinburgh, "2023-01-01", "2023-12-31").statusCode(200)
                .body("holidays.date", contains("2023-01-02", "2023-01-03", "2023-04-07", "2023-05-01", "2023-05-08",
                        "2023-05-29", "2023-08-07", "2023-11-30", "2023-12-25", "2023-12-26"));
        String belfast = create("GB", "GB-BFS");
        holidays(belfast, "2023-01-01", "2023-12-31").statusCode(200)
                .body("holidays.date", contains("2023-01-02", "2023-03-17", "2023-04-07", "2023-04-10", "2023-05-01",
                        "2023-05-08", "2023-05-29", "2023-07-12", "2023-08-28", "2023-12-25", "2023-12-26"));
        // Wales keeps England's days.
        String cardiff = create("GB", "GB-CRF");
        List<String> wales = holidays(cardiff, "2023-01-01", "2023-12-31").statusCode(200).extract().path("holidays.date");
        List<String> england = holidays(NORTH_SOMERSET, "2023-01-01", "2023-12-31").extract().path("holidays.date");
        assertEquals(england, wales);
    }

    @Test
    void oneOffDaysMissingFromTheLibraryComeFromTheOverlay() {
        holidays(NORTH_SOMERSET, "1999-12-01", "1999-12-31").statusCode(200)
                .body("holidays.date", hasItem("1999-12-31"))
                .body("holidays.find { it.date == '1999-12-31' }.name", equalTo("Millennium Celebrations"));
        // 2002: Spring bank holiday moved from 27 May to 4 June, Golden Jubilee on 3 June.
        holidays(NORTH_SOMERSET, "2002-05-01", "2002-06-30").statusCode(200)
                .body("holidays.date", contains("2002-05-06", "2002-06-03", "2002-06-04"));
    }

    @Test
    void aLocationAddedAtRuntimeAnswersAtOnce() {
        String id = create("gb", "gb-som");
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id).then().statusCode(200)
                .body("country_code", equalTo("GB")).body("subdivision_code", equalTo("GB-SOM")).body("active", equalTo(true));
        holidays(id, "2026-01-01", "2026-12-31").statusCode(200).body("version", equalTo(1))
                .body("holidays.date", hasItems("2026-01-01", "2026-04-03", "2026-04-06", "2026-12-25", "2026-12-28"));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays/versions").then().statusCode(200)
                .body("location_id", equalTo(id))
                .body("versions", hasSize(1))
                .body("versions[0].version", equalTo(1))
                .body("versions[0].current", equalTo(true))
                .body("versions[0].valid_to", nullValue())
                .body("versions[0].content_hash", matchesPattern("[0-9a-f]{64}"))
                .body("versions[0].provider", equalTo("offline"));
    }

    @Test
    void aDeactivatedLocationAnswers404ButKeepsItsHistory() {
        String id = create("NL", "NL-UT");
        holidays(id, "2025-01-01", "2025-12-31").statusCode(200);
        given().auth().oauth2(Tokens.admin()).delete("/v1/locations/" + id).then().statusCode(200)
                .body("active", equalTo(false));
        assertProblem(holidays(id, "2025-01-01", "2025-12-31"), 404);
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays.ics?from=2025-01-01&to=2025-12-31").then(), 404);
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id).then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays/versions").then().statusCode(200)
                .body("versions", hasSize(1));
        assertProblem(given().auth().oauth2(Tokens.admin()).delete("/v1/locations/" + id).then(), 404);
    }

    @Test
    void unknownLocationIs404() {
        assertProblem(holidays("00000000-0000-0000-0000-000000000001", "2025-01-01", "2025-12-31"), 404);
        assertProblem(given().auth().oauth2(Tokens.reader())
                .get("/v1/locations/00000000-0000-0000-0000-000000000001/holidays/versions").then(), 404);
    }

    @Test
    void rangeChecksAnswerProblems() {
        holidays(NORTH_SOMERSET, "2015-01-01", "2024-12-31").statusCode(200).body("holidays", hasSize(83));
        assertProblem(holidays(NORTH_SOMERSET, "2015-01-01", "2025-01-01"), 400).body("errors[0].field", equalTo("to"));
        assertProblem(holidays(NORTH_SOMERSET, "2025-02-01", "2025-01-31"), 400).body("errors[0].field", equalTo("to"));
        assertProblem(holidays(NORTH_SOMERSET, "2023-02-30", "2023-12-31"), 400).body("errors[0].field", equalTo("from"));
        assertProblem(holidays(NORTH_SOMERSET, "2023/01/01", "2023-12-31"), 400).body("errors[0].field", equalTo("from"));
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + NORTH_SOMERSET + "/holidays?to=2023-12-31")
                .then(), 400).body("errors[0].field", equalTo("from"));
        assertProblem(holidays(NORTH_SOMERSET, "2023-01-01", "2023-12-31", "as_of", "yesterday"), 400)
                .body("errors[0].field", equalTo("as_of"));
        assertProblem(given().auth().oauth2(Tokens.reader()).get("/v1/locations/not-a-uuid/holidays?from=2023-01-01&to=2023-12-31")
                .then(), 404);
        holidays(NORTH_SOMERSET, "2025-12-25", "2025-12-25").statusCode(200).body("holidays.date", contains("2025-12-25"));
    }

    @Test
    void locationCodesAreCheckedAgainstIso3166() {
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"country_code\":\"GB\",\"subdivision_code\":\"GB-XYZ\"}").post("/v1/locations").then(), 400)
                .body("errors[0].field", equalTo("subdivision_code"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"country_code\":\"GB\",\"subdivision_code\":\"NL-ZH\"}").post("/v1/locations").then(), 400)
                .body("errors[0].field", equalTo("subdivision_code"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"country_code\":\"XX\"}").post("/v1/locations").then(), 400)
                .body("errors[0].field", equalTo("country_code"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"country_code\":\"NL\",\"subdivision_code\":\"NL-XX\"}").post("/v1/locations").then(), 400)
                .body("errors[0].field", equalTo("subdivision_code"));
        // Another country: accepted when the holiday library knows the subdivision.
        String bavaria = create("DE", "DE-BY");
        holidays(bavaria, "2025-01-01", "2025-01-31").statusCode(200).body("holidays.date", contains("2025-01-01", "2025-01-06"));
        assertProblem(given().auth().oauth2(Tokens.admin()).contentType(ContentType.JSON)
                .body("{\"country_code\":\"DE\",\"subdivision_code\":\"DE-ZZ\"}").post("/v1/locations").then(), 400)
                .body("errors[0].field", equalTo("subdivision_code"));
        // The Caribbean parts of the Kingdom keep their own calendars.
        String saba = create("NL", "NL-BQ2");
        holidays(saba, "2025-01-01", "2025-12-31").statusCode(200).body("holidays.date", hasItem("2025-05-01"));
    }

    @Test
    void severalLocationsInOneQuery() {
        given().auth().oauth2(Tokens.reader())
                .queryParam("location_id", NORTH_SOMERSET).queryParam("location_id", FLEVOLAND)
                .queryParam("from", "2025-05-01").queryParam("to", "2025-05-31")
                .get("/v1/holidays").then().statusCode(200)
                .body("from", equalTo("2025-05-01"))
                .body("locations.location_id", contains(NORTH_SOMERSET, FLEVOLAND))
                .body("locations[0].holidays.date", contains("2025-05-05", "2025-05-26"))
                .body("locations[1].holidays.date", contains("2025-05-05", "2025-05-29"));
        assertProblem(given().auth().oauth2(Tokens.reader())
                .queryParam("location_id", NORTH_SOMERSET).queryParam("location_id", "00000000-0000-0000-0000-000000000002")
                .queryParam("from", "2025-05-01").queryParam("to", "2025-05-31").get("/v1/holidays").then(), 404);
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("from", "2025-05-01").queryParam("to", "2025-05-31")
                .get("/v1/holidays").then(), 400).body("errors[0].field", equalTo("location_id"));
        assertProblem(given().auth().oauth2(Tokens.reader()).queryParam("location_id", "nope")
                .queryParam("from", "2025-05-01").queryParam("to", "2025-05-31").get("/v1/holidays").then(), 400)
                .body("errors[0].field", equalTo("location_id"));
    }

    @Test
    void iCalendarFeedIsValidWithStableUids() {
        String path = "/v1/locations/" + NORTH_SOMERSET + "/holidays.ics?from=2022-01-01&to=2022-12-31";
        var response = given().auth().oauth2(Tokens.reader()).get(path).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/calendar")).extract();
        String ics = response.asString();
        assertTrue(ics.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"), ics);
        assertTrue(ics.endsWith("END:VCALENDAR\r\n"));
        assertEquals(10, ics.split("BEGIN:VEVENT\r\n", -1).length - 1);
        assertEquals(10, ics.split("END:VEVENT\r\n", -1).length - 1);
        assertTrue(ics.contains("DTSTART;VALUE=DATE:20221227\r\nDTEND;VALUE=DATE:20221228\r\n"));
        assertTrue(ics.contains("SUMMARY:Christmas (substitute day)\r\n"));
        for (String line : ics.split("\r\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 75, line);
        }
        assertEquals(0, ics.replace("\r\n", "").chars().filter(c -> c == '\n' || c == '\r').count());
        List<String> uids = ics.lines().filter(l -> l.startsWith("UID:")).toList();
        assertEquals(10, uids.stream().distinct().count());
        String again = given().auth().oauth2(Tokens.reader()).get(path).then().extract().asString();
        assertEquals(uids, again.lines().filter(l -> l.startsWith("UID:")).toList());
        assertProblem(given().auth().oauth2(Tokens.reader())
                .get("/v1/locations/" + NORTH_SOMERSET + "/holidays.ics?from=2022-01-01&to=2040-12-31").then(), 400);
    }

    @Test
    void refreshWithUnchangedHolidaysWritesNoVersion() {
        String id = create("NL", "NL-OV");
        holidays(id, "2015-01-01", "2015-12-31").statusCode(200).body("version", equalTo(1));
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("provider", equalTo("offline")).body("failures", hasSize(0));
        given().auth().oauth2(Tokens.admin()).post("/v1/holidays/refresh").then().statusCode(200)
                .body("new_versions", equalTo(0)).body("years_loaded", equalTo(0));
        given().auth().oauth2(Tokens.reader()).get("/v1/locations/" + id + "/holidays/versions").then().statusCode(200)
                .body("versions", hasSize(1));
        assertProblem(given().auth().oauth2(Tokens.reader()).post("/v1/holidays/refresh").then(), 403);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'holiday-refresh' }.status", equalTo("UP"));
    }

    @Test
    void asOfBeforeTheFirstVersionIs404() {
        assertProblem(holidays(NORTH_SOMERSET, "2025-01-01", "2025-12-31", "as_of", "2001-01-01T00:00:00Z"), 404);
        holidays(NORTH_SOMERSET, "2025-01-01", "2025-12-31", "as_of", "2999-01-01").statusCode(200)
                .body("version", equalTo(1));
    }
}
