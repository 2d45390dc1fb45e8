package dev.footfall.count.counting;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real-time counters are a cache: after ingest-service records a Redis outage they are rebuilt equal to history. */
@QuarkusTest
class RealtimeRebuildTest {

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    private int redisCount(String space) {
        return redis.send(Request.cmd(Command.HGET).arg(keys.realtime("default", space)).arg("count"))
                .await().atMost(Duration.ofSeconds(5)).toInteger();
    }

    @Test
    void countersAreRebuiltFromHistoryOnceIngestRecordedAGap() throws Exception {
        CountingFixture f = new CountingFixture("rebuild");
        f.space("room", "UTC", null, null);
        f.space("annex", "UTC", null, null);
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS);
        f.link("door", start, "room", 1, "annex", -1);
        f.place("s", "door", start);
        Instant t = start.plusSeconds(60);
        f.arrive(List.of(f.event("s", t.toString(), 1), f.event("s", t.plusSeconds(1).toString(), 1),
                f.event("s", t.plusSeconds(2).toString(), 1), f.event("s", t.plusSeconds(3).toString(), -1)));
        // As ingest-service does when Redis cannot be reached.
        EventLog.execute("UPDATE ingest.realtime_state SET dirty_since = now()");
        EventLog.awaitReconciled();
        Instant deadline = Instant.now().plusSeconds(20);
        while (dirty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertEquals(false, dirty());
        assertEquals(2, redisCount(f.id("room")));
        assertEquals(1, redisCount(f.id("annex")));
        given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("room") + "/count").then().statusCode(200)
                .body("count", equalTo(2))
                .body("timestamp", equalTo(t.plusSeconds(3).truncatedTo(ChronoUnit.MILLIS).toString()));
        assertEquals(f.countAt("room", Instant.now()), 2);

        String gauge = "footfall_space_occupancy{space_id=\"" + f.id("room") + "\",tenant=\"default\"} 2.0";
        Instant until = Instant.now().plusSeconds(10);
        String metrics = "";
        while (!metrics.contains(gauge) && Instant.now().isBefore(until)) {
            Thread.sleep(100);
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(gauge), "occupancy gauge of the space");
        org.junit.jupiter.api.Assertions.assertTrue(metrics.contains("footfall_count_reconciliation_lag_seconds 0.0"));
    }

    @Test
    void aResetPassedSinceTheLastEventReadsAsZero() {
        CountingFixture f = new CountingFixture("rtreset");
        f.space("bar", "UTC", "00:00", null);
        long yesterday = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toEpochMilli();
        redis.send(Request.cmd(Command.HSET).arg(keys.realtime("default", f.id("bar"))).arg("count").arg(5)
                .arg("ts").arg(yesterday + 3_600_000).arg("reset").arg(yesterday)).await().indefinitely();
        given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("bar") + "/count").then().statusCode(200)
                .body("count", equalTo(0));
    }

    @Test
    void aSpaceWithoutDataHasANullCount() {
        CountingFixture f = new CountingFixture("empty");
        f.space("void", "UTC", null, null);
        given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("void") + "/count").then().statusCode(200)
                .body("count", nullValue()).body("timestamp", nullValue());
        given().auth().oauth2(Tokens.reader()).get("/v1/spaces/" + f.id("void") + "/count?at=2024-01-01T00:00:00Z")
                .then().statusCode(200).body("count", nullValue()).body("at", equalTo("2024-01-01T00:00:00Z"));
    }

    private static boolean dirty() throws Exception {
        try (var c = EventLog.connect(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT dirty_since IS NOT NULL FROM ingest.realtime_state")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
