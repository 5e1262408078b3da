#!/usr/bin/env bash
# Perk against DuckDB on DuckDB's own ground: the same CSV files, the same rule
# (rules/winback.perk), each end to end as its own process, alternated RUNS
# times. Prints the medians and the ratio Perk/DuckDB, and checks that both
# select the same customers.
#
#   bash Benchmarks/compare-duckdb.sh                  # 100,000 customers, 1,000,000 orders
#   CUSTOMERS=10000 ORDERS=100000 RUNS=3 bash Benchmarks/compare-duckdb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-100000}
ORDERS=${ORDERS:-1000000}
RUNS=${RUNS:-5}
DATA=.build/perk-bench-data/c$CUSTOMERS-o$ORDERS-s42

swift build -c release --product perk >/dev/null
PERK=.build/release/perk
if [ ! -f "$DATA/orders.csv" ]; then
  "$PERK" sample-data --customers "$CUSTOMERS" --orders "$ORDERS" --out "$DATA"
fi

VENV=$(mktemp -d)/venv
trap 'rm -rf "$(dirname "$VENV")"' EXIT
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet duckdb
echo "DuckDB $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)'), $CUSTOMERS customers, $ORDERS orders, $RUNS runs each"

perk() {
  "$PERK" run rules/winback.perk --customers "$DATA/customers.csv" --orders "$DATA/orders.csv" --format csv 2>/dev/null \
    | tail -n +2 | cut -d, -f1
}
duck() {
  "$VENV/bin/python" Benchmarks/duckdb_winback.py "$DATA/customers.csv" "$DATA/orders.csv"
}

# Both must select the same customers before their times mean anything.
if ! diff <(perk) <(duck) >/dev/null; then
  echo "Perk and DuckDB select different customers:" >&2
  diff <(perk) <(duck) | head -20 >&2
  exit 1
fi
echo "Both select the same $(perk | wc -l) customers."

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); awk "BEGIN { print $end - $start }"; }
perk_times=(); duck_times=()
for _ in $(seq "$RUNS"); do
  perk_times+=("$(seconds perk)")
  duck_times+=("$(seconds duck)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
P=$(median "${perk_times[@]}")
D=$(median "${duck_times[@]}")
printf 'perk run   median %.3f s   (%s)\n' "$P" "$(printf '%.2f ' "${perk_times[@]}")"
printf 'DuckDB     median %.3f s   (%s)\n' "$D" "$(printf '%.2f ' "${duck_times[@]}")"
printf 'ratio Perk/DuckDB: %.2f\n' "$(awk "BEGIN { print $P / $D }")"
