# Sourced by the standalone modes of bench/heartbeats, bench/warehouse and bench/sessions (not by the harness, which
# runs them against its own stack): starts this checkout's analytics-service jar on its own port and database.
#
# start_standalone_analytics DB PORT HEAP LOG [NAME=VALUE ...]
#   Sets up database DB as ./footfall up does (roles, schemas, owners: ./footfall db setup), starts the jar as
#   analytics-service's role with -Xmx HEAP and the extra environment given, logging to LOG, waits (at most 2 min)
#   until it is ready and sets SERVICE to its pid. The caller stops it (trap on EXIT).
#   Needs ROOT (the checkout), PSQL (the psql command as an array) and JAVA_HOME (a JDK >= 21, as ./footfall picks).
#   The admin connection is FOOTFALL_DB_HOST/PORT/USER/PASSWORD as the caller has them: where only a private
#   PostgreSQL will do, run `eval "$(./footfall db env)"` first.
start_standalone_analytics() {
  local db="$1" port="$2" heap="$3" log="$4" major
  shift 4
  local jar="$ROOT/analytics-service/target/quarkus-app/quarkus-run.jar"
  [[ -f "$jar" ]] || { echo "build first: ./mvnw -pl common,analytics-service package -DskipTests" >&2; exit 1; }
  major="$("${JAVA_HOME:-/usr}/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print v[1]; exit}')"
  ((${major:-0} >= 21)) || { echo "JAVA_HOME must be a JDK >= 21 (found ${JAVA_HOME:-/usr}: ${major:-none})" >&2; exit 1; }
  local db_env
  db_env="$("$ROOT/footfall" db env --service analytics)" || exit 1
  eval "$db_env"
  export PGPASSWORD="$FOOTFALL_DB_PASSWORD"   # the caller's psql and pgbench run as the admin
  "$ROOT/footfall" db setup "$db" >/dev/null || exit 1
  echo "==> starting analytics-service on :$port against database $db"
  # The service gets its own role's password, never the admin's.
  env -u FOOTFALL_DB_USER -u FOOTFALL_DB_PASSWORD -u PGPASSWORD \
    FOOTFALL_DB_NAME="$db" FOOTFALL_ANALYTICS_PORT="$port" FOOTFALL_ANALYTICS_CURATION_EVERY=off \
    FOOTFALL_ANALYTICS_RETENTION_EVERY=off FOOTFALL_JWT_PUBLIC_KEY="$ROOT/.footfall/keys/jwt-public.pem" \
    QUARKUS_LOG_LEVEL=WARN "$@" "$JAVA_HOME/bin/java" -Xmx"$heap" -jar "$jar" >"$log" 2>&1 &
  SERVICE=$!
  local url="http://127.0.0.1:$port/q/health/ready"
  for _ in $(seq 1 120); do
    curl -sf "$url" >/dev/null && return 0
    kill -0 "$SERVICE" 2>/dev/null || break
    sleep 1
  done
  echo "analytics-service did not start; see $log" >&2
  kill "$SERVICE" 2>/dev/null || true
  exit 1
}
