#!/usr/bin/env bash
# The SQL differential corpus in PostgreSQL: writes the corpus (queries for
# the postgres dialect, with the matches Perk's own evaluation finds), starts a
# throwaway cluster in a temporary folder, runs every query there and compares.
#
#   Tests/Warehouse/run-postgres.sh
#
# Needs Debian's postgresql (initdb, pg_ctl; /usr/lib/postgresql/*/bin is searched)
# and psql. PostgreSQL will not run as root: as root, the cluster runs as the
# `postgres` user. Exit status 0 when every query agrees with Perk.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d /tmp/perk-pg.XXXXXX)
chmod 755 "$work"
bin=$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")
as_owner=()
if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); chown postgres "$work"; fi
port=$((20000 + RANDOM % 20000))
stop() {
  "${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

echo "== writing the corpus for postgres"
PERK_SQL_CORPUS="$work/corpus" PERK_SQL_DIALECT=postgres \
  swift test --disable-swift-testing --filter SQLDifferentialTests 2>&1 | grep -E "sql corpus|error|Executed" | head -20
chmod -R a+rX "$work/corpus"

echo "== starting a throwaway cluster on port $port"
"${as_owner[@]}" "$bin/initdb" -D "$work/data" -A trust -U perk -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$work/data" -o "-p $port -k $work -c listen_addresses=''" -l "$work/log" -w start >/dev/null
"${as_owner[@]}" psql -h "$work" -p "$port" -U perk -d postgres -Atc "select version()"

echo "== running the corpus"
PGHOST="$work" PGPORT="$port" PGUSER=perk PGDATABASE=postgres \
  python3 "$root/Tests/Warehouse/run_corpus.py" postgres "$work/corpus"
