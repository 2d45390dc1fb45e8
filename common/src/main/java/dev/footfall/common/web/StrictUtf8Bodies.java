package dev.footfall.common.web;

import dev.footfall.common.problem.ProblemException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * JSON and NDJSON bodies must be well-formed UTF-8 (RFC 8259): checked as they are read, bytes passing through as
 * they are. Jackson's own decoder lets overlong forms ({@code C0 AF} for '/'), encoded surrogates and some truncated
 * sequences through, which would then be stored as something other than what the client's bytes say.
 */
@Provider
public class StrictUtf8Bodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (isJson(context.getMediaType())) {
            context.setInputStream(new Utf8CheckingStream(context.getInputStream()));
        }
        return context.proceed();
    }

    static boolean isJson(MediaType type) {
        if (type == null) {
            return false;
        }
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return subtype.equals("json") || subtype.endsWith("+json") || subtype.equals("x-ndjson");
    }

    /** Passes bytes through and fails at the first one that breaks UTF-8 (RFC 3629, table 3-7 of Unicode). */
    static final class Utf8CheckingStream extends FilterInputStream {
        private int pending;
        private int low = 0x80;
        private int high = 0xBF;

        Utf8CheckingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                end();
            } else {
                check(b);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n < 0) {
                end();
            }
            for (int i = 0; i < n; i++) {
                check(buffer[offset + i] & 0xFF);
            }
            return n;
        }

        private void check(int b) {
            if (pending > 0) {
                if (b < low || b > high) {
                    throw invalid();
                }
                pending--;
                low = 0x80;
                high = 0xBF;
                return;
            }
            if (b < 0x80) {
                return;
            }
            if (b >= 0xC2 && b <= 0xDF) {
                pending = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                pending = 2;
                low = b == 0xE0 ? 0xA0 : 0x80;
                high = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                pending = 3;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                throw invalid();
            }
        }

        private void end() {
            if (pending > 0) {
                throw invalid();
            }
        }

        private static ProblemException invalid() {
            return ProblemException.badRequest("body", "is not valid UTF-8");
        }
    }
}
