package dev.footfall.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.testing.fuzz.ApiOperation;
import dev.footfall.testing.fuzz.FuzzReport;
import dev.footfall.testing.fuzz.FuzzRequest;
import dev.footfall.testing.fuzz.HostileRequests;
import dev.footfall.testing.fuzz.RawHttp;
import dev.footfall.testing.fuzz.StoredData;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Hostile input on every endpoint of a service, generated from the OpenAPI document it serves: for each operation a
 * bounded number of requests from a fixed seed (see {@link HostileRequests} for what they change), each checked for
 * no 5xx and a problem+json on every error, requests that must be rejected checked for a 4xx, and the service's
 * tables checked for no change across each operation's batch. A service's {@code @QuarkusTest} extends this and
 * names itself and its seed.
 *
 * <p>System properties: {@value #SEED} replaces the seed (the benchmark runs a fresh one), {@value #REQUESTS} the
 * number of requests per service (default {@link #requests()}), spread evenly over the operations, or
 * {@value #PER_OPERATION} a number per operation. The counts are written to {@code target/fuzz/<service>.json}.
 */
public abstract class OpenApiFuzzTestBase {

    public static final String SEED = "footfall.fuzz.seed";
    public static final String REQUESTS = "footfall.fuzz.requests";
    public static final String PER_OPERATION = "footfall.fuzz.requests-per-operation";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The service under test: ingest, count, holiday or analytics (its schema is checked for changes). */
    protected abstract String service();

    /** The seed of the default run: fixed, so that a failure reproduces. */
    protected abstract long seed();

    /** Requests per service in the default run. */
    protected int requests() {
        return 2_500;
    }

    /**
     * Valid values by parameter name (fixtures' ids), used instead of the documented examples so that requests get
     * past the lookup to the checks behind it; a query parameter named here is sent even when optional.
     */
    protected Map<String, String> knownValues() {
        return Map.of();
    }

    /** Creates the fixtures {@link #knownValues()} names, through the API, before the fuzzing starts. */
    protected void prepare() {
    }

    /** The schemas whose tables must not change. */
    protected List<String> schemas() {
        return List.of(service());
    }

    /** Tables a background job of the service writes by itself (left out of the comparison). */
    protected Set<String> volatileTables() {
        return Set.of();
    }

    /**
     * Findings known and left to the owner of the code (each {@code "METHOD /path kind"}, a kind prefix such as
     * {@code body.empty}): reported in the summary, not failed on. Remove an entry once its fix lands.
     */
    protected Set<String> openFindings() {
        return Set.of();
    }

    /** The tenant of the fuzz tokens, apart from the other tests' data. */
    protected String tenant() {
        return "fuzz";
    }

    @Test
    void hostileInputGetsProblemsAndStoresNothing() throws Exception {
        long seed = Long.getLong(SEED, seed());
        RawHttp http = new RawHttp("localhost", RestAssured.port, 60_000);
        String baseUrl = "http://localhost:" + RestAssured.port;
        prepare();
        RawHttp.Response served = http.send("GET", "/q/openapi?format=json", List.of(), null);
        assertTrue(served.status() == 200, "the OpenAPI document: " + served.status() + " " + served.bodyText());
        JsonNode document = JSON.readTree(served.body());
        Path out = Path.of("target", "fuzz");
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.write(out.resolve(service() + "-openapi.json"), served.body());
        List<ApiOperation> operations = ApiOperation.all(document).stream()
                .sorted(Comparator.comparing(ApiOperation::key)).toList();
        Map<String, Set<String>> methodsByPath = new HashMap<>();
        operations.forEach(op -> methodsByPath.computeIfAbsent(op.path(), p -> new HashSet<>()).add(op.method()));

        int perOperation = Integer.getInteger(PER_OPERATION,
                (Integer.getInteger(REQUESTS, requests()) + operations.size() - 1) / operations.size());
        Map<String, String> tokens = new HashMap<>();
        String expired = Tokens.expiringAt("admin", Instant.now().minusSeconds(3600));
        HostileRequests.Limits limits = limits();
        StoredData stored = StoredData.of(schemas(), volatileTables());
        settle(stored);
        FuzzReport report = new FuzzReport(service(), seed, baseUrl, openFindings());
        for (ApiOperation op : operations) {
            HostileRequests generator = new HostileRequests(document, op, methodsByPath.get(op.path()), knownValues(),
                    role -> tokens.computeIfAbsent(role, r -> Tokens.forRole(r, tenant())), expired, limits);
            List<FuzzRequest> batch = generator.generate(seed, perOperation);
            Map<String, String> before = stored.snapshot();
            boolean acceptedAny = false;
            for (FuzzRequest request : batch) {
                RawHttp.Response response = http.send(request.method(), request.target(), request.headers(),
                        request.body());
                report.check(request, response);
                acceptedAny |= response.status() < 300;
            }
            List<String> changed = StoredData.differences(before, stored.snapshot());
            if (!changed.isEmpty()) {
                // An accepted request may store (a read that loads a year of holidays does); a rejected one may not.
                findWhoStored(http, stored, batch, report, baseUrl, String.join("; ", changed), acceptedAny);
            }
        }
        report.finish();
        System.out.print(report.summary());
        report.write(out.resolve(service() + ".json"));
        assertTrue(report.clean(), report::failures);
    }

    /**
     * Waits (up to a minute) until the stored data stops changing by itself: work a service starts at start-up, such
     * as holiday-service loading its seed locations' years, must not count against the first batch.
     */
    private static void settle(StoredData stored) throws InterruptedException {
        Map<String, String> last = stored.snapshot();
        for (int i = 0; i < 120; i++) {
            Thread.sleep(500);
            Map<String, String> now = stored.snapshot();
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
    }

    /** Sends a batch's rejected requests again one at a time to name one that changed stored data. */
    private static void findWhoStored(RawHttp http, StoredData stored, List<FuzzRequest> batch, FuzzReport report,
            String baseUrl, String change, boolean acceptedAny) {
        for (FuzzRequest request : batch) {
            if (acceptedAny && !request.mustReject()) {
                continue;
            }
            Map<String, String> before = stored.snapshot();
            RawHttp.Response response = http.send(request.method(), request.target(), request.headers(), request.body());
            List<String> changed = StoredData.differences(before, stored.snapshot());
            if (!changed.isEmpty() && response.status() >= 300) {
                report.stored(request.operation(), request.kind(), response.status() + ", changed " + changed,
                        request.curl(baseUrl));
                return;
            }
        }
        if (!acceptedAny) {
            FuzzRequest any = batch.get(0);
            report.stored(any.operation(), "(a request of this batch; not reproduced one by one)", change,
                    any.curl(baseUrl));
        }
    }

    /** The service's own limits, so that requests stay under them (Quarkus answers over them with no body). */
    private static HostileRequests.Limits limits() {
        Config config = ConfigProvider.getConfig();
        MemorySizeConverter size = new MemorySizeConverter();
        int line = config.getOptionalValue("quarkus.http.limits.max-initial-line-length", Integer.class).orElse(4096);
        long headers = size.convert(config.getOptionalValue("quarkus.http.limits.max-header-size", String.class)
                .orElse("20K")).asLongValue();
        long body = size.convert(config.getOptionalValue("quarkus.http.limits.max-body-size", String.class)
                .orElse("10240K")).asLongValue();
        return new HostileRequests.Limits(line, (int) headers, body, false);
    }
}
