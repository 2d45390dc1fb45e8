package dev.footfall.holiday.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.common.db.TenantSql;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Another replica's change reaches this one by PostgreSQL NOTIFY: with a location TTL of an hour, nothing else could
 * make this replica see it.
 */
@QuarkusTest
@TestProfile(ReplicaNotificationTest.LongTtl.class)
class ReplicaNotificationTest {

    public static class LongTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("footfall.holiday.cache.location-ttl", "1h");
        }
    }

    @Inject
    TenantSql tenantSql;

    @Test
    void aDeactivationOnAnotherReplicaIsHeardAtOnce() throws InterruptedException {
        String id = HolidayResourceTest.create("GB", "GB-WNH");
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        assertEquals(200, status(path));
        assertEquals(200, status(path));
        // What LocationService.deactivate does on the other replica: the update, then NOTIFY naming tenant and id.
        tenantSql.transaction("default", conn -> conn.preparedQuery(
                "UPDATE holiday.location SET active = false, deactivated_at = now() "
                        + "WHERE tenant = $1 AND location_id = $2")
                .execute(Tuple.of("default", UUID.fromString(id)))
                .flatMap(ignored -> conn.preparedQuery("SELECT pg_notify('holiday_changed', $1)")
                        .execute(Tuple.of("default " + id))))
                .await().indefinitely();
        awaitGone(path);
    }

    @Test
    void aNotificationIsAboutOneTenantsLocationOnly() throws InterruptedException {
        String id = HolidayResourceTest.create("GB", "GB-NSM");
        String marker = HolidayResourceTest.create("GB", "GB-NSM");
        // Another tenant has a location with the same id.
        given().auth().oauth2(Tokens.forRole("admin", "acme")).contentType("application/json")
                .body("{\"location_id\":\"" + id + "\",\"country_code\":\"GB\"}").post("/v1/locations").then()
                .statusCode(201);
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        String markerPath = "/v1/locations/" + marker + "/holidays?from=2026-01-01&to=2026-12-31";
        assertEquals(200, status(path));
        assertEquals(200, status(markerPath));
        // Both default locations change behind the service's back; then acme's location of the same id is announced,
        // then the marker. Notifications arrive in order: once the marker is gone, acme's has been handled.
        for (String changed : new String[] {id, marker}) {
            tenantSql.query("default", "UPDATE holiday.location SET active = false "
                    + "WHERE tenant = $1 AND location_id = $2", Tuple.of("default", UUID.fromString(changed)))
                    .await().indefinitely();
        }
        notify("acme " + id);
        notify("default " + marker);
        awaitGone(markerPath);
        assertEquals(200, status(path), "a notification about another tenant's location dropped this one");
        notify("default " + id);
        awaitGone(path);
    }

    private void notify(String payload) {
        tenantSql.query("default", "SELECT pg_notify('holiday_changed', $1)", Tuple.of(payload)).await().indefinitely();
    }

    private static void awaitGone(String path) throws InterruptedException {
        long start = System.nanoTime();
        int status = 200;
        while (status == 200 && System.nanoTime() - start < 5_000_000_000L) {
            Thread.sleep(20);
            status = status(path);
        }
        assertEquals(404, status, "the notification was not heard in 5 s");
    }

    static int status(String path) {
        return given().auth().oauth2(Tokens.reader()).get(path).then().extract().statusCode();
    }
}
