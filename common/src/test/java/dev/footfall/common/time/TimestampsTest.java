package dev.footfall.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fixed-position fast path must agree with java.time on every canonical timestamp and reject what it rejects. */
class TimestampsTest {

    @Test
    void canonicalShapesAgreeWithJavaTime() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = random.nextLong(-2_000_000_000L, 8_000_000_000L);
            int nanos = random.nextInt(5) == 0 ? 0 : random.nextInt(1_000_000_000);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(-18 * 4, 18 * 4 + 1)) * 15 * 60);
            OffsetDateTime expected = Instant.ofEpochSecond(epochSecond, nanos).atOffset(offset);
            String text = expected.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            assertEquals(expected.toInstant(), Timestamps.parse(text), text);
        }
    }

    @Test
    void spellingsOfTheSameInstant() {
        Instant expected = Instant.parse("2018-02-24T17:24:25.493Z");
        for (String text : new String[] {"2018-02-24T17:24:25.493Z", "2018-02-24 17:24:25.493z",
                "2018-02-24t17:24:25,493Z", "2018-02-24T18:24:25.493+01:00", "2018-02-24T18:24:25.493+0100",
                "2018-02-24T18:24:25.493+01", " 2018-02-24T17:24:25.493000000Z ", "2018-02-24T17:24:25.493 Z",
                "2018-02-24T12:54:25.493-04:30"}) {
            assertEquals(expected, Timestamps.parse(text), text);
        }
        assertEquals(Instant.parse("2021-05-29T08:11:00Z"), Timestamps.parse("2021-05-29 08:11:00+00"));
        assertEquals(Instant.parse("2021-05-29T08:11:00Z"), Timestamps.parse("2021-05-29T08:11Z"));
        assertEquals(Instant.parse("2021-05-29T08:11:00Z"), Timestamps.parseAssumingUtc("2021-05-29 08:11:00"));
    }

    @Test
    void impossibleOrMalformedTimestampsAreRejected() {
        for (String text : new String[] {"2018-02-30T10:00:00Z", "2018-02-24T24:00:00Z", "2018-02-24T10:60:00Z",
                "2018-02-24T10:00:60Z", "2018-13-01T10:00:00Z", "2018-02-24T10:00:00+19:00", "2018-02-24T10:00:00",
                "2018-02-24T10:00:00.Z", "2018-02-24T10:00:00.1234567890Z", "2018-02-24T10:00:00ZZ",
                "2018-02-24X10:00:00Z", "2018-2-24T10:00:00Z", "20180224T100000Z", "", "now"}) {
            assertThrows(Timestamps.InvalidTimestampException.class, () -> Timestamps.parse(text), text);
        }
    }
}
