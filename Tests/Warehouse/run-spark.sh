#!/usr/bin/env bash
# The SQL differential corpus in Spark SQL (local mode): writes the corpus
# for the spark dialect, runs every query in a local SparkSession (ANSI mode,
# no decimal precision loss, as the README asks) and compares with Perk.
#
#   Tests/Warehouse/run-spark.sh [GENERATED_FILES]
#
# pyspark comes from PyPI into .build/test-tools/spark when it is missing; it
# needs Java 17 (Debian's openjdk-17-jre-headless). Spark takes about a second a
# query here, so fewer generated files than the DuckDB test's 500 may be asked for.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
files=${1:-500}
tools="$root/.build/test-tools/spark"
if ! PYTHONPATH="$tools" python3 -c "import pyspark" 2>/dev/null; then
  echo "== installing pyspark into $tools"
  python3 -m pip install --quiet --target "$tools" pyspark
fi
work=$(mktemp -d /tmp/perk-spark.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== writing the corpus for spark ($files generated files)"
PERK_SQL_CORPUS="$work/corpus" PERK_SQL_DIALECT=spark PERK_SQL_GENERATED_FILES="$files" \
  swift test --disable-swift-testing --filter SQLDifferentialTests 2>&1 | grep -E "sql corpus|error|Executed" | head -20

echo "== running the corpus"
PYTHONPATH="$tools" SPARK_HOME="$tools/pyspark" python3 "$root/Tests/Warehouse/run_corpus.py" spark "$work/corpus" 2> "$work/spark.log" \
  || { tail -20 "$work/spark.log"; exit 1; }
