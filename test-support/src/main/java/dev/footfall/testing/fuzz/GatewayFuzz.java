package dev.footfall.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The same hostile requests as the services' fuzz tests, sent through a running gateway (bench/fuzz): each service's
 * document is read through the gateway, and every answer must again be < 500 and a problem on error, including the
 * gateway's own answers (its limits are smaller than the services') and header values with control characters,
 * which only the gateway can answer with a problem. Stored data is checked by the fuzz tests, not here.
 *
 * <p>{@code java ... GatewayFuzz BASE_URL SEED REQUESTS_PER_SERVICE OUT_DIR}, with the tokens in the environment
 * ({@code BENCH_TOKEN_SENSOR}, {@code _READER}, {@code _ADMIN}, and optionally one expired for longer than the
 * services' clock skew in {@code BENCH_TOKEN_EXPIRED});
 * writes {@code OUT_DIR/gateway-<service>.json} and exits 1 when a rule was broken.
 */
public final class GatewayFuzz {

    /** nginx's limits in deploy/gateway: an 8 KB request line, 8 KB header lines, 32 KB of headers, 1 MB bodies. */
    static final HostileRequests.Limits GATEWAY = new HostileRequests.Limits(8 * 1024, 16 * 1024, 1 << 20, true);

    private GatewayFuzz() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        long seed = Long.parseLong(args[1]);
        int perService = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Map<String, String> tokens = Map.of("sensor", System.getenv("BENCH_TOKEN_SENSOR"),
                "reader", System.getenv("BENCH_TOKEN_READER"), "admin", System.getenv("BENCH_TOKEN_ADMIN"));
        RawHttp http = new RawHttp(base.getHost(), base.getPort(), 60_000);
        ObjectMapper json = new ObjectMapper();
        boolean clean = true;
        for (String service : List.of("ingest", "count", "holiday", "analytics")) {
            RawHttp.Response served = http.send("GET", "/" + service + "/q/openapi?format=json", List.of(), null);
            if (served.status() != 200) {
                throw new IllegalStateException(service + "'s document through the gateway: " + served.status());
            }
            JsonNode document = json.readTree(served.body());
            List<ApiOperation> operations = ApiOperation.all(document).stream()
                    .sorted(Comparator.comparing(ApiOperation::key)).toList();
            Map<String, Set<String>> methodsByPath = new HashMap<>();
            operations.forEach(op -> methodsByPath.computeIfAbsent(op.path(), p -> new HashSet<>()).add(op.method()));
            int perOperation = Math.max(1, (perService + operations.size() - 1) / operations.size());
            FuzzReport report = new FuzzReport("gateway-" + service, seed, args[0], Set.of());
            for (ApiOperation op : operations) {
                HostileRequests generator = new HostileRequests(document, op, methodsByPath.get(op.path()), Map.of(),
                        tokens::get, System.getenv("BENCH_TOKEN_EXPIRED"), GATEWAY);
                for (FuzzRequest request : generator.generate(seed, perOperation)) {
                    report.check(request, http.send(request.method(), request.target(), request.headers(),
                            request.body()));
                }
            }
            report.finish();
            System.out.print(report.clean() ? report.summary() : report.failures());
            report.write(out.resolve("gateway-" + service + ".json"));
            clean &= report.clean();
        }
        System.exit(clean ? 0 : 1);
    }
}
