package dev.footfall.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.footfall.common.time.Timestamps;
import dev.footfall.ingest.config.IngestConfig;
import dev.footfall.ingest.model.SensorEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The first hot path of POST /v1/events: reading a JSON body into validated events (ingest-service's EventParser),
 * against Jackson's readTree of the same bytes (the floor: parsing without validation or conversion), and the
 * timestamp parser it calls for every event. Bodies are generated from a fixed seed, shaped like the HTTP benchmark's.
 * In package dev.footfall.ingest.service to reach the parser's package-private constructor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EventParserBenchmark {

    @Param({"1", "1000"})
    public int events;

    private byte[] body;
    private EventParser parser;
    private ObjectMapper mapper;

    @Setup
    public void setUp() {
        mapper = new ObjectMapper();
        IngestConfig config = new IngestConfig() {
            @Override
            public Batch batch() {
                return () -> 10000;
            }

            @Override
            public Append append() {
                return new Append() {
                    @Override
                    public int maxConcurrent() {
                        return 4;
                    }

                    @Override
                    public Duration notifyInterval() {
                        return Duration.ofMillis(50);
                    }
                };
            }

            @Override
            public Topology topology() {
                return () -> Duration.ofSeconds(30);
            }
        };
        parser = new EventParser(mapper, config);
        Random random = new Random(42);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        StringBuilder json = new StringBuilder(events == 1 ? "" : "[");
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                json.append(',');
            }
            String ts = t0.plusMillis(i * 7L + random.nextInt(5)).toString();
            json.append("{\"dpu_id\":\"bench-dpu-").append(random.nextInt(100)).append("\",\"timestamp\":\"")
                    .append(ts).append("\",\"direction\":").append(random.nextBoolean() ? 1 : -1).append('}');
        }
        if (events != 1) {
            json.append(']');
        }
        body = json.toString().getBytes(StandardCharsets.UTF_8);
        if (parser.parseJson(body).size() != events) {
            throw new IllegalStateException("the generated body does not parse to " + events + " events");
        }
    }

    /** The parser as the service runs it: JSON tree, per-item validation, SensorEvent records. */
    @Benchmark
    public List<SensorEvent> parseEvents() {
        return parser.parseJson(body);
    }

    /** Baseline: Jackson's tree of the same bytes, nothing checked or converted. */
    @Benchmark
    public JsonNode jacksonReadTree() throws Exception {
        return mapper.readTree(body);
    }

    /** The timestamp parser alone (one call per event in parseEvents). */
    @State(Scope.Thread)
    public static class Timestamp {
        private final String[] timestamps = new String[1024];
        private int next;

        @Setup
        public void setUp() {
            Random random = new Random(42);
            Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
            for (int i = 0; i < timestamps.length; i++) {
                // Both spellings the API accepts: RFC 3339 with T and Z, and the old clients' space and lower-case z.
                String ts = t0.plusMillis(random.nextInt(86_400_000)).toString();
                timestamps[i] = (i % 2 == 0) ? ts : ts.replace('T', ' ').replace('Z', 'z');
            }
        }

        @Benchmark
        @BenchmarkMode(Mode.AverageTime)
        @OutputTimeUnit(TimeUnit.NANOSECONDS)
        public Instant parseTimestamp() {
            next = (next + 1) & (timestamps.length - 1);
            return Timestamps.parse(timestamps[next]);
        }
    }
}
