package dev.footfall.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import org.junit.jupiter.api.Test;

class FootfallObjectMapperTest {

    record Named(String name) {
    }

    private final ObjectMapper mapper = FootfallObjectMapper.configure(new ObjectMapper());

    @Test
    void stringsWithNulOrUnpairedSurrogatesAreRefused() throws JsonProcessingException {
        assertThrows(InvalidFormatException.class, () -> mapper.readValue("{\"name\":\"a\\u0000b\"}", Named.class));
        assertThrows(InvalidFormatException.class, () -> mapper.readValue("{\"name\":\"\\ud800\"}", Named.class));
        assertThrows(InvalidFormatException.class, () -> mapper.readValue("{\"name\":\"x\\udc00\"}", Named.class));
        assertEquals("caf\u00e9 \ud83d\ude00", mapper.readValue("{\"name\":\"caf\\u00e9 \\ud83d\\ude00\"}", Named.class).name());
    }

    @Test
    void numbersAndBooleansAreNotReadAsText() {
        for (String value : new String[] {"true", "12", "1.5"}) {
            assertThrows(com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
                    () -> mapper.readValue("{\"name\":" + value + "}", Named.class), value);
        }
    }

    @Test
    void deepNestingAndLongNumbersAreRefusedWhileReading() {
        String deep = "[".repeat(FootfallObjectMapper.MAX_DEPTH + 1) + "]".repeat(FootfallObjectMapper.MAX_DEPTH + 1);
        assertThrows(StreamConstraintsException.class, () -> mapper.readTree(deep));
        String number = "1".repeat(FootfallObjectMapper.MAX_NUMBER_LENGTH + 1);
        assertThrows(StreamConstraintsException.class, () -> mapper.readTree("[" + number + "]"));
    }
}
