#!/usr/bin/env bash
# Perk in a warehouse against Perk on the CSV files, end to end, on the rules of
# rules/: `perk sql` + the query in DuckDB (the orders already in a DuckDB
# database, as a warehouse holds them) + `perk run --matches`, against
# `perk run --customers --orders`. Alternated RUNS times; prints each step's
# median, the two totals and their ratio, and the load average, and checks
# that both make the same plan.
#
#   bash Benchmarks/warehouse-run.sh                       # 100,000 customers, 1,000,000 orders
#   CUSTOMERS=10000 ORDERS=100000 RUNS=3 bash Benchmarks/warehouse-run.sh
#   DATA=/path/with/customers.csv+orders.csv bash Benchmarks/warehouse-run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CUSTOMERS=${CUSTOMERS:-100000}
ORDERS=${ORDERS:-1000000}
RUNS=${RUNS:-5}
DAY=${DAY:-2026-01-01}
DATA=${DATA:-.build/perk-bench-data/c$CUSTOMERS-o$ORDERS-s42}

swift build -c release --product perk >/dev/null
PERK=.build/release/perk
if [ ! -f "$DATA/orders.csv" ]; then
  "$PERK" sample-data --customers "$CUSTOMERS" --orders "$ORDERS" --out "$DATA" >/dev/null
fi
TOOLS=.build/test-tools/python
PYTHONPATH=$TOOLS python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet --target "$TOOLS" duckdb
export PYTHONPATH=$TOOLS
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The warehouse: the CSV files loaded once into a DuckDB database by the table
# contract (not timed: the orders live there already).
python3 - "$DATA" "$WORK/shop.duckdb" <<'PY'
import sys, duckdb
data, db = sys.argv[1], sys.argv[2]
c = duckdb.connect(db)
c.execute(f"""CREATE TABLE customers AS SELECT * FROM read_csv('{data}/customers.csv', header = true,
  types = {{'customer_id': 'VARCHAR', 'tier': 'VARCHAR', 'birthday': 'DATE', 'joined': 'DATE', 'points': 'DECIMAL(18,2)',
           'open_complaints': 'DECIMAL(18,2)', 'sms_opt_in': 'BOOLEAN', 'wechat_opt_in': 'BOOLEAN', 'email_opt_in': 'BOOLEAN'}})""")
c.execute(f"""CREATE TABLE orders AS SELECT * FROM read_csv('{data}/orders.csv', header = true,
  types = {{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMP', 'amount': 'DECIMAL(18,2)',
           'items': 'VARCHAR', 'store': 'VARCHAR', 'channel': 'VARCHAR', 'discount': 'DECIMAL(18,2)', 'coupon_code': 'VARCHAR'}})""")
c.close()
PY

ms() { echo $(( $(date +%s%N) / 1000000 )); }
csv_run() {
  "$PERK" run rules/ --customers "$DATA/customers.csv" --orders "$DATA/orders.csv" --as-of "$DAY" --format csv > "$WORK/plan-csv.csv" 2>/dev/null
}
sql_step() {
  "$PERK" sql rules/ --dialect duckdb --as-of "$DAY" --customers "$DATA/customers.csv" --orders "$DATA/orders.csv" > "$WORK/q.sql" 2>/dev/null
}
duck_step() {
  python3 - "$WORK/shop.duckdb" "$WORK/q.sql" "$WORK/matches.csv" <<'PY'
import sys, duckdb
c = duckdb.connect(sys.argv[1], read_only=True)
c.execute("COPY (" + open(sys.argv[2]).read().rstrip().rstrip(";") + f") TO '{sys.argv[3]}' (HEADER)")
PY
}
matches_step() {
  "$PERK" run rules/ --customers "$DATA/customers.csv" --matches "$WORK/matches.csv" --as-of "$DAY" --format csv > "$WORK/plan-matches.csv" 2>/dev/null
}

csv_run; sql_step; duck_step; matches_step
if ! cmp -s "$WORK/plan-csv.csv" "$WORK/plan-matches.csv"; then
  echo "the plans differ:" >&2
  diff "$WORK/plan-csv.csv" "$WORK/plan-matches.csv" | head -20 >&2
  exit 1
fi
echo "$(wc -l < "$WORK/matches.csv") match rows, $(wc -l < "$WORK/plan-csv.csv") plan rows, the same plan both ways; DuckDB $(python3 -c 'import duckdb; print(duckdb.__version__)'); $RUNS runs each"

declare -a A S D M W
for i in $(seq "$RUNS"); do
  t=$(ms); csv_run; A+=($(( $(ms) - t )))
  t=$(ms); sql_step; S+=($(( $(ms) - t )))
  t=$(ms); duck_step; D+=($(( $(ms) - t )))
  t=$(ms); matches_step; M+=($(( $(ms) - t )))
  W+=($(( S[-1] + D[-1] + M[-1] )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
a=$(median "${A[@]}"); w=$(median "${W[@]}")
echo "perk run on the CSVs:            $a ms (runs: ${A[*]})"
echo "perk sql:                        $(median "${S[@]}") ms"
echo "the query in DuckDB (to CSV):    $(median "${D[@]}") ms"
echo "perk run --matches:              $(median "${M[@]}") ms"
echo "sql + DuckDB + --matches:        $w ms (runs: ${W[*]})"
awk -v w="$w" -v a="$a" 'BEGIN { printf "ratio warehouse / CSV:           %.2f\n", w / a }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
