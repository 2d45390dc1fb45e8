package dev.footfall.holiday.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
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
    Pool pool;

    @Test
    void aDeactivationOnAnotherReplicaIsHeardAtOnce() throws InterruptedException {
        String id = HolidayResourceTest.create("GB", "GB-WNH");
        String path = "/v1/locations/" + id + "/holidays?from=2026-01-01&to=2026-12-31";
        assertEquals(200, status(path));
        assertEquals(200, status(path));
        // What LocationService.deactivate does on the other replica: the update, then NOTIFY on the channel.
        pool.withTransaction(conn -> conn.preparedQuery(
                "UPDATE holiday.location SET active = false, deactivated_at = now() WHERE location_id = $1")
                .execute(Tuple.of(UUID.fromString(id)))
                .flatMap(ignored -> conn.preparedQuery("SELECT pg_notify('holiday_changed', $1)").execute(Tuple.of(id))))
                .await().indefinitely();
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
