// The gateway's rate-limit key (nginx.conf.template, js_set $footfall_token_subject): the `sub` claim of the
// request's bearer JWT, or "" (then the client address is the key). The token is decoded, not verified: the service
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

export default { subject };
