package dev.footfall.analytics.repository.heartbeat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The float8[] literal staging stores for a heartbeat's metrics, element i = catalog ordinal i. */
class MetricValuesTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void valuesFollowTheCatalogOrderAndNonNumbersAreNull() throws Exception {
        var metrics = mapper.readTree("""
                {"b": 0.1, "a": 698, "c": "12", "e": true, "f": 1e400, "g": -0.0, "h": 12345678901234567890}""");
        List<String> names = Arrays.asList("a", "b", "c", "d", "e", "f", "g", null, "h");
        assertEquals("{698.0,0.1,NULL,NULL,NULL,NULL,0,NULL,1.2345678901234567E19}",
                HeartbeatStagingRepository.metricValues(metrics, names));
    }

    @Test
    void missingOrNonObjectMetricsGiveNullsOfTheCatalogLength() throws Exception {
        assertEquals("{NULL,NULL}", HeartbeatStagingRepository.metricValues(null, List.of("a", "b")));
        assertEquals("{NULL}", HeartbeatStagingRepository.metricValues(mapper.readTree("[1]"), List.of("a")));
        assertEquals("{}", HeartbeatStagingRepository.metricValues(mapper.readTree("{\"a\": 1}"), List.of()));
    }
}
