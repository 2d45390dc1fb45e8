// What the gateway reads of a request that nginx's own directives cannot (nginx.conf.template, js_set).
//
// subject: the rate-limit key ($footfall_token_subject), the `sub` claim of the request's bearer JWT, or "" (then the
// client address is the key). The token is decoded, not verified: the service
// refuses a token that does not verify; what a made-up subject can still do is in deploy/gateway/README.md
// (Decisions). Written for njs 0.7 (Debian bookworm) and 0.8 (the nginx images).

var BEARER_JWT = /^Bearer +[A-Za-z0-9_-]+\.([A-Za-z0-9_-]{1,6000})\.[A-Za-z0-9_-]*$/i;

function subject(r) {
    var auth = r.headersIn.Authorization;
    var m = auth ? BEARER_JWT.exec(auth) : null;
    if (!m) {
        return "";
    }
    try {
        var sub = JSON.parse(Buffer.from(m[1], "base64url").toString()).sub;
        // Bounded: the key is stored in the limit zone's shared memory.
        return typeof sub === "string" && sub.length <= 256 ? sub : "";
    } catch (e) {
        return "";
    }
}

// badHeader: "1" when a header value holds a control character other than tab ($footfall_bad_header). nginx passes
// those on, and the services' HTTP decoder would answer with an empty 400 and close the connection (a POST then got a
// 503 from the gateway); refused here, they get the gateway's 400 problem.
var CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

function badHeader(r) {
    var headers = r.rawHeadersIn;
    for (var i = 0; i < headers.length; i++) {
        if (CONTROL.test(headers[i][1])) {
            return "1";
        }
    }
    return "";
}

export default { subject, badHeader };
