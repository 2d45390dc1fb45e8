#!/usr/bin/env bash
# Checks deploy/ on a machine without a Docker engine or a Kubernetes cluster:
#   - compose.yaml against the Compose specification's JSON schema (and what the schema cannot say);
#   - the Dockerfiles, the Prometheus and Grafana files;
#   - the gateway image's entrypoint: renders nginx.conf.template as the image does and runs `nginx -t` on it
#     (when nginx and its njs module are installed; ./footfall up installs both);
#   - `kubectl kustomize` of deploy/k8s/base and both overlays, validated against the Kubernetes API schemas.
# Prints a line per check and "N passed, M failed"; exits non-zero when anything failed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${FOOTFALL_CHECK_OUT:-$ROOT/target/deploy-check}"
mkdir -p "$OUT"

command -v node >/dev/null || { echo "check-deploy: node is required"; echo "0 passed, 1 failed"; exit 1; }
command -v kubectl >/dev/null || { echo "check-deploy: kubectl is required (kubectl kustomize)"; echo "0 passed, 1 failed"; exit 1; }

# Pinned validators (package-lock.json), installed once like the gateway's Swagger UI.
if [[ ! -d "$HERE/node_modules/kubernetes-models" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  (cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi

passed=0 failed=0
ok()   { passed=$((passed + 1)); echo "ok    $*"; }
fail() { failed=$((failed + 1)); echo "FAIL  $*"; }

# ---- Kustomize rendering ----
rendered=()
for target in base overlays/dev overlays/prod; do
  file="$OUT/k8s-${target//\//-}.yaml"
  if kubectl kustomize "$ROOT/deploy/k8s/$target" >"$file" 2>"$file.err"; then
    ok "kubectl kustomize deploy/k8s/$target renders ($(grep -c '^kind:' "$file") objects, $file)"
    rendered+=("$file")
  else
    fail "kubectl kustomize deploy/k8s/$target"; sed 's/^/        /' "$file.err"
  fi
done

# ---- The gateway image's entrypoint, run here against the template ----
NGINX="$(command -v nginx || true)"; [[ -z "$NGINX" && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
gw="$OUT/gateway"
rm -rf "$gw" && mkdir -p "$gw/home/swagger-ui-dist" "$gw/run" "$gw/logs"
cp "$ROOT/deploy/gateway/nginx.conf.template" "$ROOT/deploy/gateway/gateway.js" "$gw/home/"
cp -r "$ROOT/deploy/gateway/ui" "$gw/home/ui"
# The entrypoint is the heredoc in the Dockerfile between COPY ... <<'EOF' and EOF.
awk '/^COPY .*<<.EOF. \/usr\/local\/bin\/footfall-gateway/ {on=1; next} on && /^EOF$/ {exit} on {print}' \
  "$ROOT/deploy/gateway/Dockerfile" >"$gw/footfall-gateway"
chmod +x "$gw/footfall-gateway"
if [[ ! -s "$gw/footfall-gateway" ]]; then
  fail "gateway entrypoint: not found in deploy/gateway/Dockerfile"
elif [[ -z "$NGINX" ]]; then
  if FOOTFALL_GATEWAY_HOME="$gw/home" FOOTFALL_GATEWAY_RUN_DIR="$gw/run" FOOTFALL_GATEWAY_LOG_DIR="$gw/logs" \
     PATH="/nonexistent:$PATH" sh -c '"$0" check' "$gw/footfall-gateway" >"$gw/out.txt" 2>&1 || [[ -s "$gw/run/nginx.conf" ]]; then
    ok "gateway entrypoint renders the template (nginx not installed: nginx -t skipped)"
  else
    fail "gateway entrypoint"; sed 's/^/        /' "$gw/out.txt"
  fi
else
  # Upstream host names are those of compose/Kubernetes; here they must resolve, so point them at localhost. The
  # njs module is where this nginx keeps its modules (the image's default path is Debian's too); the trusted
  # proxies are those of deploy/k8s.
  modules="$("$NGINX" -V 2>&1 | grep -o -- '--modules-path=[^ ]*' | cut -d= -f2 || true)"
  if FOOTFALL_GATEWAY_HOME="$gw/home" FOOTFALL_GATEWAY_RUN_DIR="$gw/run" FOOTFALL_GATEWAY_LOG_DIR="$gw/logs" \
     FOOTFALL_INGEST_HOST=localhost FOOTFALL_COUNT_HOST=localhost FOOTFALL_HOLIDAY_HOST=localhost \
     FOOTFALL_ANALYTICS_HOST=localhost PATH="$(dirname "$NGINX"):$PATH" \
     FOOTFALL_GATEWAY_JS_MODULE="${modules:-/usr/lib/nginx/modules}/ngx_http_js_module.so" \
     FOOTFALL_GATEWAY_TRUSTED_PROXIES="10.0.0.0/8 172.16.0.0/12 192.168.0.0/16" \
     "$gw/footfall-gateway" check >"$gw/out.txt" 2>&1 &&
     grep -q 'server localhost:8081;' "$gw/run/nginx.conf" && grep -q 'listen 8080;' "$gw/run/nginx.conf" &&
     grep -q 'set_real_ip_from 10.0.0.0/8; .*real_ip_recursive on;' "$gw/run/nginx.conf" &&
     grep -q 'rate=50r/s;' "$gw/run/nginx.conf"; then
    ok "gateway entrypoint renders the template (service host names, rate limits, trusted proxies); nginx -t accepts it"
  else
    fail "gateway entrypoint render + nginx -t"; sed 's/^/        /' "$gw/out.txt"
  fi
fi

# ---- compose, Dockerfiles, Grafana, Kubernetes schemas ----
set +e
node "$HERE/check-deploy.mjs" "${rendered[@]}" | tee "$OUT/node.txt"
node_rc=${PIPESTATUS[0]}
set -e
summary="$(grep -E '^deploy-check: [0-9]+ passed, [0-9]+ failed$' "$OUT/node.txt" | tail -n1 || true)"
if [[ -n "$summary" ]]; then
  read -r np nf < <(sed -E 's/^deploy-check: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/' <<<"$summary")
  passed=$((passed + np)); failed=$((failed + nf))
else
  fail "check-deploy.mjs did not finish (exit $node_rc)"
fi
((node_rc == 0)) || ((failed > 0)) || failed=1

echo "$passed passed, $failed failed"
((failed == 0))
