"""DuckDB's equivalent of `perk run rules/winback.perk`, end to end.

Reads both CSV files, builds the profile column the rule needs (days since the
latest order before the evaluation day, which is the day after the latest
order), applies the condition and the sms consent check, and prints the
selected customer ids in order, one per line.
"""
import sys

import duckdb

customers, orders = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET threads TO 2")
rows = con.execute(f"""
WITH o AS (
  SELECT customer_id, CAST(ordered_at AS DATE) AS day
  FROM read_csv('{orders}', header = true, all_varchar = true)),
as_of AS (SELECT max(day) + 1 AS d FROM o),
last AS (
  SELECT customer_id, max(day) AS last_day
  FROM o WHERE customer_id IS NOT NULL AND customer_id <> '' AND day < (SELECT d FROM as_of)
  GROUP BY customer_id)
SELECT c.customer_id
FROM read_csv('{customers}', header = true, all_varchar = true) AS c JOIN last USING (customer_id)
WHERE c.tier = 'VIP' AND (SELECT d FROM as_of) - last.last_day > 60 AND c.sms_opt_in = 'true'
ORDER BY c.customer_id
""").fetchall()
sys.stdout.write("".join(r[0] + "\n" for r in rows))
