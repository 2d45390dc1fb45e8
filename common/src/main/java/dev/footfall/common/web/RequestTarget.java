package dev.footfall.common.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks a request target (path and query, as sent) before anything decodes it: every character visible ASCII,
 * every {@code %} followed by two hex digits, and what the escapes stand for valid UTF-8 with no control character.
 * Ids and parameters that fail here would otherwise reach the resources as replacement characters, or PostgreSQL as
 * NUL bytes it refuses (a 500), and a malformed escape stops Vert.x's routing with a bare 400.
 */
public final class RequestTarget {

    private RequestTarget() {
    }

    /** Null when the target is acceptable; otherwise what is wrong with it, fit for a client. */
    public static String invalid(String target) {
        if (target == null || target.isEmpty()) {
            return "The request target is empty";
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String problem = check(path, "path");
        if (problem == null && query >= 0) {
            problem = check(target.substring(query + 1), "query string");
        }
        if (problem == null) {
            // What Quarkus' own check (switched off by FootfallMain) refuses: characters RFC 3986 reserves or excludes.
            try {
                new URI(target);
            } catch (URISyntaxException e) {
                problem = "The request target is not a valid URI (RFC 3986): " + e.getReason();
            }
        }
        return problem;
    }

    private static String check(String part, String name) {
        boolean escaped = false;
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "The " + name + " holds a raw control or non-ASCII character; percent-encode it";
            }
            if (c == '%') {
                if (i + 2 >= part.length() || hex(part.charAt(i + 1)) < 0 || hex(part.charAt(i + 2)) < 0) {
                    return "The " + name + " holds a malformed percent-escape (a % not followed by two hex digits)";
                }
                escaped = true;
                i += 2;
            }
        }
        return escaped ? checkDecoded(part, name) : null;
    }

    private static String checkDecoded(String part, String name) {
        ByteBuffer bytes = ByteBuffer.allocate(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                int b = hex(part.charAt(i + 1)) << 4 | hex(part.charAt(i + 2));
                if (b < 0x20 || b == 0x7F) {
                    return String.format("The %s holds a control character (%%%02X)", name, b);
                }
                bytes.put((byte) b);
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return null;
        } catch (CharacterCodingException e) {
            return "The " + name + " holds percent-escapes that are not valid UTF-8";
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
