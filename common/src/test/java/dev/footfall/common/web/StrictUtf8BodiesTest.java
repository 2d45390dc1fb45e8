package dev.footfall.common.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.footfall.common.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8BodiesTest {

    private static byte[] read(byte[] body) throws IOException {
        try (var in = new StrictUtf8Bodies.Utf8CheckingStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void wellFormedUtf8PassesUnchanged() throws IOException {
        byte[] text = "{\"name\": \"café ☃ 😀 \\u0000\"}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(text, read(text));
        assertArrayEquals(bytes(0xF4, 0x8F, 0xBF, 0xBF), read(bytes(0xF4, 0x8F, 0xBF, 0xBF)));
    }

    @Test
    void malformedOverlongSurrogateAndTruncatedFormsAreRefused() {
        for (byte[] bad : new byte[][] {bytes(0xC3, 0x28), bytes(0xFF), bytes(0xC0, 0xAF), bytes(0xC1, 0xBF),
            bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80), bytes(0xF0, 0x80, 0x80, 0xAF), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xF5, 0x80, 0x80, 0x80), bytes(0x80), bytes(0x61, 0xE2, 0x82)}) {
            assertThrows(ProblemException.class, () -> read(bad));
        }
    }
}
