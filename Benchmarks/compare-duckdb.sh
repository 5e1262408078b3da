#!/usr/bin/env bash
# Perk against DuckDB on DuckDB's own ground: the same CSV files, the same rule
# (rules/winback.perk), each end to end as its own process, alternated RUNS
# times, on both shapes of data: `perk sample-data`'s own files and the same
# shop written as a real export (`perk sample-data --export-like`: extra
# columns, free text with commas and doubled quotes, shuffled columns, ids
# without zero padding). Prints the medians, the peak memory of each, and the
# ratio Perk/DuckDB per shape, and checks that both select the same customers.
#
#   bash Benchmarks/compare-duckdb.sh                  # 100,000 customers, 1,000,000 orders
#   CUSTOMERS=10000 ORDERS=100000 RUNS=3 bash Benchmarks/compare-duckdb.sh
#   SHAPES=export-like bash Benchmarks/compare-duckdb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-100000}
ORDERS=${ORDERS:-1000000}
RUNS=${RUNS:-5}
SHAPES=${SHAPES:-"sample-data export-like"}

swift build -c release --product perk >/dev/null
PERK=.build/release/perk

VENV=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$VENV")"' EXIT
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet duckdb
echo "DuckDB $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)'), $CUSTOMERS customers, $ORDERS orders, $RUNS runs each"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall seconds and peak resident kilobytes of one run, output thrown away.
measure() { /usr/bin/time -f '%e %M' -o "$VENV.time" "$@" >/dev/null 2>&1; cat "$VENV.time"; }

for SHAPE in $SHAPES; do
  DATA=.build/perk-bench-data/c$CUSTOMERS-o$ORDERS-s42
  FLAGS=()
  if [ "$SHAPE" = export-like ]; then DATA=$DATA-export-like; FLAGS=(--export-like); fi
  if [ ! -f "$DATA/orders.csv" ]; then
    "$PERK" sample-data --customers "$CUSTOMERS" --orders "$ORDERS" "${FLAGS[@]}" --out "$DATA" 2>/dev/null
  fi
  PERK_RUN=("$PERK" run rules/winback.perk --customers "$DATA/customers.csv" --orders "$DATA/orders.csv" --format csv)
  DUCK_RUN=("$VENV/bin/python" Benchmarks/duckdb_winback.py "$DATA/customers.csv" "$DATA/orders.csv")
  selected() { "${PERK_RUN[@]}" 2>/dev/null | tail -n +2 | cut -d, -f1; }
  duck() { "${DUCK_RUN[@]}"; }

  # Both must select the same customers before their times mean anything.
  if ! diff <(selected) <(duck) >/dev/null; then
    echo "$SHAPE: Perk and DuckDB select different customers:" >&2
    diff <(selected) <(duck) | head -20 >&2
    exit 1
  fi
  echo
  echo "$SHAPE ($(du -m "$DATA/orders.csv" | cut -f1) MB of orders): both select the same $(selected | wc -l) customers."

  perk_times=(); duck_times=(); perk_kb=(); duck_kb=()
  for _ in $(seq "$RUNS"); do
    read -r t kb < <(measure "${PERK_RUN[@]}"); perk_times+=("$t"); perk_kb+=("$kb")
    read -r t kb < <(measure "${DUCK_RUN[@]}"); duck_times+=("$t"); duck_kb+=("$kb")
  done
  P=$(median "${perk_times[@]}"); D=$(median "${duck_times[@]}")
  PM=$(median "${perk_kb[@]}"); DM=$(median "${duck_kb[@]}")
  printf 'perk run   median %.3f s, peak %d MB (%d bytes per order)   (%s)\n' "$P" $((PM / 1024)) $((PM * 1024 / ORDERS)) "$(printf '%.2f ' "${perk_times[@]}")"
  printf 'DuckDB     median %.3f s, peak %d MB   (%s)\n' "$D" $((DM / 1024)) "$(printf '%.2f ' "${duck_times[@]}")"
  printf 'ratio Perk/DuckDB, %s: %.2f\n' "$SHAPE" "$(awk "BEGIN { print $P / $D }")"
done
