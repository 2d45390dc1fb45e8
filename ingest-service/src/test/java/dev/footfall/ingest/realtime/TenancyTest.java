package dev.footfall.ingest.realtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.footfall.common.config.RedisKeys;
import dev.footfall.ingest.service.TopologyCache;
import dev.footfall.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A sensor token posts for its own tenant only: an event naming another tenant's sensor is stored for the poster's
 * tenant, unattributed, and moves no counter of the other tenant; event ids and keys are per tenant.
 */
@QuarkusTest
class TenancyTest {

    @Inject
    Redis redis;

    @Inject
    RedisKeys keys;

    @Inject
    TopologyCache topology;

    private static io.restassured.response.ValidatableResponse post(String tenant, String body) {
        return given().auth().oauth2(Tokens.forRole("sensor", tenant)).contentType(ContentType.JSON).body(body)
                .post("/v1/events").then();
    }

    private Integer counter(String tenant, String space) {
        var r = redis.send(Request.cmd(Command.HGET).arg(keys.realtime(tenant, space)).arg("count"))
                .await().atMost(Duration.ofSeconds(5));
        return r == null ? null : r.toInteger();
    }

    @Test
    void anEventNamingAnotherTenantsSensorIsTheSendersAndUnattributed() {
        Topologies.singleDoor("acme", "tn-room", "tn-door", "tn-s", "UTC", null);
        topology.reload().await().indefinitely();
        Instant now = Instant.now();
        String event = "{\"id\":\"tn-1\",\"dpu_id\":\"tn-s\",\"timestamp\":\"%s\",\"direction\":1}";
        post("acme", event.formatted(now.minusSeconds(5))).statusCode(202)
                .body("accepted", equalTo(1)).body("unattributed", equalTo(0));
        // The same id from another tenant is another event, and that tenant has no such sensor placed.
        post("globex", event.formatted(now.minusSeconds(5))).statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0)).body("unattributed", equalTo(1));
        post("globex", event.formatted(now.minusSeconds(5))).statusCode(202)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(1));

        assertEquals(1, counter("acme", "tn-room"));
        assertEquals(null, counter("globex", "tn-room"));
        given().auth().oauth2(Tokens.forRole("reader", "acme")).get("/v1/events?dpu_id=tn-s").then().statusCode(200)
                .body("size()", equalTo(1)).body("source", contains("test-sensor"));
        given().auth().oauth2(Tokens.forRole("reader", "globex")).get("/v1/events?dpu_id=tn-s").then()
                .statusCode(200).body("size()", equalTo(1));
        given().auth().oauth2(Tokens.forRole("reader", "initech")).get("/v1/events?dpu_id=tn-s").then()
                .statusCode(200).body("size()", equalTo(0));
    }
}
