package dev.footfall.ingest.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.ingest.service.TopologyCache;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Real-time counters in Redis: attribution by the event's own time, clamp, resets, atomicity under concurrency. */
@QuarkusTest
class RealtimeCounterTest {

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    @Inject
    TopologyCache topology;

    private Response counter(String space) {
        return redis.send(Request.cmd(Command.HMGET).arg(keys.realtime("default", space)).arg("count").arg("ts").arg("reset"))
                .await().atMost(Duration.ofSeconds(5));
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().auth().oauth2(Tokens.sensor()).contentType(ContentType.JSON).body(body).post("/v1/events").then();
    }

    @Test
    void eventsOfAPlacedSensorUpdateTheCounterWithClampAtZero() {
        Topologies.singleDoor("rt-room", "rt-door", "rt-s", "UTC", null);
        topology.reload().await().indefinitely();
        Instant now = Instant.now();
        post("""
                [{"dpu_id":"rt-s","timestamp":"%s","direction":-1},
                 {"dpu_id":"rt-s","timestamp":"%s","direction":1},
                 {"dpu_id":"rt-s","timestamp":"%s","direction":1},
                 {"dpu_id":"unplaced","timestamp":"%s","direction":1}]
                """.formatted(now.minusSeconds(30), now.minusSeconds(20), now.minusSeconds(10), now))
                .statusCode(202).body("accepted", equalTo(4)).body("unattributed", equalTo(1));
        Response r = counter("rt-room");
        assertEquals(2, r.get(0).toInteger());
        assertEquals(now.minusSeconds(10).toEpochMilli(), r.get(1).toLong());
    }

    @Test
    void eventsBeforeTheLastResetDoNotChangeTheCounter() {
        Topologies.singleDoor("rt-shop", "rt-shop-door", "rt-shop-s", "UTC", "00:00");
        topology.reload().await().indefinitely();
        Instant today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        post("""
                [{"dpu_id":"rt-shop-s","timestamp":"%s","direction":1},
                 {"dpu_id":"rt-shop-s","timestamp":"%s","direction":1}]
                """.formatted(today.minusSeconds(60), today.plusMillis(1))).statusCode(202);
        assertEquals(1, counter("rt-shop").get(0).toInteger());
        assertEquals(today.toEpochMilli(), counter("rt-shop").get(2).toLong());
    }

    @Test
    void concurrentBatchesAreAppliedAtomically() {
        Topologies.singleDoor("rt-hall", "rt-hall-door", "rt-hall-s", "UTC", null);
        topology.reload().await().indefinitely();
        Instant base = Instant.now().minusSeconds(3600);
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < 50; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"dpu_id\":\"rt-hall-s\",\"timestamp\":\"")
                        .append(base.plusMillis(c * 1000L + i)).append("\",\"direction\":1}");
            }
            String body = batch.append("]").toString();
            calls.add(CompletableFuture.runAsync(() -> post(body).statusCode(202)));
        }
        calls.forEach(CompletableFuture::join);
        assertEquals(400, counter("rt-hall").get(0).toInteger());
    }

    @Test
    void aSensorWithoutPlacementLeavesNoCounter() {
        post("{\"dpu_id\":\"nowhere\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"direction\":1}")
                .statusCode(202).body("unattributed", equalTo(1));
        assertNull(counter("nowhere").get(0));
    }
}
