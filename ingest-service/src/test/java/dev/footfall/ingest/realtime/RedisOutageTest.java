package dev.footfall.ingest.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.footfall.ingest.service.TopologyCache;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Redis is a cache: with it down, events are still accepted (202), durable, and the gap is recorded for a rebuild. */
@QuarkusTest
@TestProfile(OwnRedis.Profile.class)
class RedisOutageTest {

    @Inject
    TopologyCache topology;

    private static String event(String dpu, Instant ts) {
        return "{\"dpu_id\":\"" + dpu + "\",\"timestamp\":\"" + ts + "\",\"direction\":1}";
    }

    @Test
    void ingestionKeepsAcceptingWhileRedisIsDownAndRecordsTheGap() {
        Topologies.singleDoor("out-room", "out-door", "out-s", "UTC", null);
        topology.reload().await().indefinitely();
        Instant now = Instant.now();
        given().auth().oauth2(Tokens.sensor()).contentType(ContentType.JSON).body(event("out-s", now.minusSeconds(3)))
                .post("/v1/events").then().statusCode(202);
        assertNull(Topologies.queryString("SELECT dirty_since FROM ingest.realtime_state"));

        OwnRedis.stopServer();
        try {
            given().auth().oauth2(Tokens.sensor()).contentType(ContentType.JSON)
                    .body("[" + event("out-s", now.minusSeconds(2)) + "," + event("out-s", now.minusSeconds(1)) + "]")
                    .post("/v1/events").then().statusCode(202).body("accepted", equalTo(2));
        } finally {
            OwnRedis.startServer();
        }
        assertEquals("3", Topologies.queryString("SELECT count(*) FROM ingest.event WHERE dpu_id = 'out-s'"));
        assertEquals("3", Topologies.queryString(
                "SELECT count(*) FROM ingest.event_outbox o, unnest(o.dpu_id) d WHERE d = 'out-s'"));
        assertNotNull(Topologies.queryString("SELECT dirty_since FROM ingest.realtime_state"));

        // Redis is back: new events reach it again (the restarted server is empty until count-service rebuilds it).
        given().auth().oauth2(Tokens.sensor()).contentType(ContentType.JSON).body(event("out-s", now))
                .post("/v1/events").then().statusCode(202).body("accepted", equalTo(1));
    }
}
