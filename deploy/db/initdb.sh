#!/usr/bin/env bash
# The TimescaleDB (PostgreSQL) container's first start: the services' roles and their database, by deploy/db/setup.sql.
# Mounted into /docker-entrypoint-initdb.d/ by deploy/compose.yaml and the Kubernetes dev overlay, with setup.sql at
# /footfall/db/setup.sql; the entrypoint runs it once, on an empty data directory, as POSTGRES_USER over the socket.
#
# Environment: FOOTFALL_DB_NAME [POSTGRES_DB], FOOTFALL_<SVC>_DB_USER [footfall_<svc>] and, required,
# FOOTFALL_<SVC>_DB_PASSWORD for SVC = INGEST, COUNT, HOLIDAY, ANALYTICS. Run by hand on a volume made earlier
# (docker compose exec timescaledb /docker-entrypoint-initdb.d/footfall-roles.sh): it is idempotent.
set -euo pipefail

vars=()
for svc in ingest count holiday analytics; do
  user="FOOTFALL_${svc^^}_DB_USER" password="FOOTFALL_${svc^^}_DB_PASSWORD"
  [[ -n "${!password:-}" ]] || { echo "footfall-roles: $password is not set" >&2; exit 1; }
  vars+=(-v "${svc}_role=${!user:-footfall_$svc}")
done

# The passwords go to psql on its standard input, not on its command line.
{
  for svc in ingest count holiday analytics; do
    password="FOOTFALL_${svc^^}_DB_PASSWORD"
    printf "\\\\set %s_password '%s'\n" "$svc" "${!password//\'/\'\'}"
  done
  cat "${FOOTFALL_SETUP_SQL:-/footfall/db/setup.sql}"
} | psql -X -q -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
      -v dbname="${FOOTFALL_DB_NAME:-${POSTGRES_DB:-footfall}}" "${vars[@]}" -f -
echo "footfall-roles: roles and database ${FOOTFALL_DB_NAME:-${POSTGRES_DB:-footfall}} ready"
