#!/usr/bin/env python3
"""Runs a differential corpus written by SQLDifferentialTests in a SQL engine.

    run_corpus.py duckdb|postgres|spark CORPUS_DIR

Loads each data set's customers.csv and orders.csv as the README's table
contract says (ids text, dates DATE, ordered_at TIMESTAMP, numbers DECIMAL,
items the ;-separated text, tiers text, an empty cell NULL), runs every query
of manifest.json and compares its rows (customer_id, rule) with the matches
Perk's own interpreter found. Prints each difference and a summary; exits 1
on any difference or query error, 0 when every query agrees.

For postgres, PGHOST/PGPORT/PGUSER/PGDATABASE name a server (see
run-postgres.sh, which starts a throwaway one); for spark, pyspark must be
importable (see run-spark.sh).
"""
import csv
import json
import os
import subprocess
import sys
import time


def sql_type(engine, t):
    if t.startswith("decimal("):
        scale = int(t[len("decimal("):-1])
        return "DECIMAL(18,%d)" % scale if engine != "postgres" else "NUMERIC"
    return {
        "text": {"duckdb": "VARCHAR", "postgres": "TEXT", "spark": "STRING"}[engine],
        "date": "DATE",
        "timestamp": "TIMESTAMP",
        "boolean": "BOOLEAN",
    }[t]


def quoted(engine, name):
    return "`%s`" % name if engine == "spark" else '"%s"' % name.replace('"', '""')


class DuckDB:
    def __init__(self):
        import duckdb
        self.con = duckdb.connect()

    def load(self, table, file, columns):
        cols = ", ".join("%s: '%s'" % (repr(n), sql_type("duckdb", t)) for n, t in columns)
        self.con.execute("CREATE OR REPLACE TABLE %s AS SELECT * FROM read_csv(%s, header = true, auto_detect = false, "
                         "columns = {%s}, nullstr = '', quote = '\"', escape = '\"')" % (table, repr(file), cols))

    def query(self, sql):
        return [tuple(str(x) for x in row) for row in self.con.execute(sql).fetchall()]


class Postgres:
    def __init__(self):
        self.psql = os.environ.get("PSQL", "psql")

    def run(self, sql, tuples=False):
        args = [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-F", "\t"]
        if tuples:
            args.append("-t")
        p = subprocess.run(args, input=sql, capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr.strip())
        return p.stdout

    def load(self, table, file, columns):
        cols = ", ".join("%s %s" % (quoted("postgres", n), sql_type("postgres", t)) for n, t in columns)
        self.run("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s);\n\\copy %s FROM %s WITH (FORMAT csv, HEADER true, NULL '')\n"
                 % (table, table, cols, table, repr(file)))

    def query(self, sql):
        out = self.run(sql.rstrip().rstrip(";") + ";\n", tuples=True)
        return [tuple(line.split("\t")) for line in out.splitlines() if line]


class Spark:
    def __init__(self):
        from pyspark.sql import SparkSession
        self.spark = (SparkSession.builder.master("local[2]").appName("perk-corpus")
                      .config("spark.sql.ansi.enabled", "true")
                      .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
                      .config("spark.sql.shuffle.partitions", "2")
                      .config("spark.ui.enabled", "false")
                      .config("spark.sql.session.timeZone", "UTC")
                      .getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def load(self, table, file, columns):
        schema = ", ".join("%s %s" % (quoted("spark", n), sql_type("spark", t)) for n, t in columns)
        df = (self.spark.read.option("header", "true").option("nullValue", "").option("emptyValue", None)
              .option("escape", '"').option("multiLine", "true")
              .option("timestampFormat", "yyyy-MM-dd HH:mm:ss").schema(schema).csv(file))
        df.createOrReplaceTempView(table)

    def query(self, sql):
        return [tuple(str(x) for x in row) for row in self.spark.sql(sql).collect()]


def main():
    engine_name, folder = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    engine = {"duckdb": DuckDB, "postgres": Postgres, "spark": Spark}[engine_name]()
    started = time.time()
    loaded = None
    failures = 0
    rows = 0
    cases = sorted(manifest["cases"], key=lambda c: c["data_set"])
    for case in cases:
        if loaded != case["data_set"]:
            tables = manifest["data_sets"][case["data_set"]]
            for table in ("customers", "orders"):
                engine.load(table, tables[table]["file"], tables[table]["columns"])
            loaded = case["data_set"]
        expected = sorted(tuple(r) for r in case["expected"])
        try:
            got = sorted(engine.query(case["sql"]))
        except Exception as e:  # a query the engine rejects is a failure, said plainly
            failures += 1
            print("%s (%s): the engine failed: %s\n%s\n--- query ---\n%s" % (case["id"], case["data_set"], str(e).strip()[:2000], case["context"], case["sql"]))
            continue
        rows += len(got)
        if got != expected:
            failures += 1
            missing = sorted(set(expected) - set(got))[:10]
            extra = sorted(set(got) - set(expected))[:10]
            print("%s (%s): %d rows, Perk found %d; Perk only: %s; SQL only: %s\n%s\n--- query ---\n%s"
                  % (case["id"], case["data_set"], len(got), len(expected), missing, extra, case["context"], case["sql"]))
        if failures >= 5:
            print("stopping after 5 failures")
            break
    print("%s: %d queries, %d rows, %d failures, %.1f s" % (engine_name, len(cases), rows, failures, time.time() - started))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
