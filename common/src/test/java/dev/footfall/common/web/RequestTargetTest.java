package dev.footfall.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/spaces/space-a", "/v1/spaces/caf%C3%A9/count?at=2018-02-24T00%3A00%3A00Z",
        "/v1/holidays?location_id=a,b&types=school+bank", "/v1/x?emoji=%F0%9F%98%80&empty=&flag", "/", "/a%2Fb"})
    void ordinaryTargetsPass(String target) {
        assertNull(RequestTarget.invalid(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/spaces/a%00b", "/v1/spaces/a%1Fb", "/v1/spaces/a%7F", "/v1/x?at=%0A", "/v1/x?a%00=1",
        "/v1/spaces/%C3%28", "/v1/spaces/%FF", "/v1/spaces/%ED%A0%80", "/v1/spaces/%C0%AF", "/v1/x?q=%E2%82",
        "/v1/spaces/%", "/v1/spaces/%G1", "/v1/x?q=%2", "/v1/spaces/a\u0001b", "/v1/spaces/caf\u00e9", "",
        "/v1/spaces/a|b", "/v1/x?q=\"x\"", "/v1/spaces/{id}"})
    void hostileTargetsAreNamed(String target) {
        assertNotNull(RequestTarget.invalid(target));
    }

    @Test
    void theAnswerSaysWhichPartAndWhy() {
        assertEquals("The path holds a control character (%00)", RequestTarget.invalid("/v1/spaces/a%00b"));
        assertEquals("The query string holds percent-escapes that are not valid UTF-8",
                RequestTarget.invalid("/v1/x?q=%FF"));
    }
}
