package dev.footfall.holiday;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Nager.Date API ({@code GET /api/v3/PublicHolidays/{year}/{country}}), started before the
 * service; tests switch what it answers. No network is needed.
 */
public class NagerStub implements QuarkusTestResourceLifecycleManager {

    public enum Mode { NORMAL, FAIL, SLOW }

    public static volatile Mode mode = Mode.NORMAL;
    /** When true the stub answers one extra day, as if the source had published a new holiday. */
    public static volatile boolean extraDay = false;
    public static final AtomicInteger requests = new AtomicInteger();

    private HttpServer server;

    /** The test profile that selects the Nager.Date provider pointed at this stub. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("footfall.holiday.provider", "nager",
                    "footfall.holiday.nager.timeout", "300ms",
                    "footfall.holiday.nager.retries", "2",
                    "footfall.holiday.nager.backoff", "10ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(NagerStub.class));
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/api/v3/PublicHolidays/", exchange -> {
            requests.incrementAndGet();
            String[] parts = exchange.getRequestURI().getPath().split("/");
            int year = Integer.parseInt(parts[4]);
            String country = parts[5];
            try (exchange) {
                if (mode == Mode.SLOW) {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (mode != Mode.NORMAL) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                byte[] body = answer(year, country).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // One thread per request: a slow answer must not hold up the next test's requests.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return Map.of("footfall.holiday.nager.base-url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Shaped like Nager.Date's answer: a global day, days for some counties only, optional extra day. */
    static String answer(int year, String country) {
        StringBuilder json = new StringBuilder("[");
        json.append(day(year + "-01-01", "New Year's Day", "New Year's Day", country, true, null, "Public"));
        json.append(',').append(day(year + "-04-21", "Easter Monday", "Easter Monday", country, false,
                "[\"GB-ENG\",\"GB-WLS\",\"GB-NIR\"]", "Public"));
        json.append(',').append(day(year + "-11-30", "Saint Andrew's Day", "Saint Andrew's Day", country, false,
                "[\"GB-SCT\"]", "Public"));
        json.append(',').append(day(year + "-02-14", "Valentine's Day", "Valentine's Day", country, true, null,
                "Observance"));
        if (extraDay) {
            json.append(',').append(day(year + "-06-15", "Special Bank Holiday", "Special Bank Holiday", country, true,
                    null, "Bank"));
        }
        return json.append(']').toString();
    }

    private static String day(String date, String local, String name, String country, boolean global, String counties,
            String type) {
        return "{\"date\":\"" + date + "\",\"localName\":\"" + local + "\",\"name\":\"" + name + "\",\"countryCode\":\""
                + country + "\",\"fixed\":false,\"global\":" + global + ",\"counties\":" + counties
                + ",\"launchYear\":null,\"types\":[\"" + type + "\"]}";
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
