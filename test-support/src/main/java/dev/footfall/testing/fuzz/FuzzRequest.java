package dev.footfall.testing.fuzz;

import java.util.List;

/**
 * One generated request. {@code kind} names what is hostile in it (e.g. {@code path.space_id.nul}); a request that
 * {@code mustReject} is one no service may accept (a 2xx is a finding); the others only must not fail (no 5xx, a
 * problem on every error).
 */
public record FuzzRequest(String operation, String kind, boolean mustReject, String method, String target,
        List<RawHttp.Header> headers, byte[] body) {

    public String curl(String baseUrl) {
        return RawHttp.curl(baseUrl, method, target, headers, body);
    }
}
