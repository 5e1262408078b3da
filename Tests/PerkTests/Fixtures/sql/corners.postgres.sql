-- perk VERSION for postgres: who matches each rule active on 2025-12-01
-- read-only; one row (customer_id, rule) per customer whose condition is definitely true
WITH
avg_order_value AS (
  -- avg_order_value: total_spend / visit_count; missing with no orders, as of 2025-12-01
  SELECT o.customer_id, SUM(o.amount) AS total_spend, COUNT(*) AS visit_count
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
total_spend AS (
  -- total_spend: sum of the amounts of orders before today, as of 2025-12-01
  SELECT o.customer_id, SUM(o.amount) AS total_spend
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
visit_count AS (
  -- visit_count: number of orders before today, as of 2025-12-01
  SELECT o.customer_id, COUNT(*) AS visit_count
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
avg_amount_in_last_90_days AS (
  -- avg(orders.amount in last 90 days), as of 2025-12-01
  SELECT o.customer_id, SUM(o.amount) AS value, COUNT(o.amount) AS n
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01' AND CAST(o.ordered_at AS DATE) >= DATE '2025-09-02'
  GROUP BY o.customer_id
),
all_orders_in_last_30_days_where AS (
  -- all(orders in last 30 days where (amount >= 20)), as of 2025-12-01
  SELECT o.customer_id, COUNT(CASE WHEN o.amount >= 20 THEN NULL ELSE 1 END) = 0 AS value
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01' AND CAST(o.ordered_at AS DATE) >= DATE '2025-11-01'
  GROUP BY o.customer_id
),
any_orders_where AS (
  -- any(orders where (items contains "奶茶")), as of 2025-12-01
  SELECT o.customer_id, COUNT(CASE WHEN EXISTS (SELECT 1 FROM unnest(string_to_array(o.items, ';')) AS i(item) WHERE btrim(i.item, ' ' || chr(9)) = '奶茶') THEN 1 END) > 0 AS value
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
favorite_item AS (
  -- favorite_item: most frequent item; ties go to the name first in order, as of 2025-12-01
  SELECT customer_id, item AS favorite_item
  FROM (
    SELECT customer_id, item, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY COUNT(*) DESC, item COLLATE "C" ASC) AS place
    FROM (
      SELECT customer_id, btrim(item, ' ' || chr(9)) AS item
      FROM (SELECT o.customer_id, unnest(string_to_array(o.items, ';')) AS item
            FROM orders AS o
        WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01') AS split_items
    ) AS trimmed_items
    WHERE item <> ''
    GROUP BY customer_id, item
  ) AS counted
  WHERE place = 1
),
last_visit AS (
  -- last_visit: date of the latest order before today, as of 2025-12-01
  SELECT o.customer_id, MAX(CAST(o.ordered_at AS DATE)) AS last_visit
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
min_ordered_at AS (
  -- min(orders.ordered_at), as of 2025-12-01
  SELECT o.customer_id, MIN(CAST(o.ordered_at AS DATE)) AS value
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
)
-- Tests/PerkTests/Fixtures/sql/corners.perk:4: Fractions
--   when avg_order_value / 3 >= 12.5 or total_spend / visit_count == 100 / 3
SELECT c.customer_id, 'Fractions' AS rule
FROM customers AS c
LEFT JOIN avg_order_value ON avg_order_value.customer_id = c.customer_id
LEFT JOIN total_spend ON total_spend.customer_id = c.customer_id
LEFT JOIN visit_count ON visit_count.customer_id = c.customer_id
WHERE ((CASE WHEN 3 < 0 THEN -(avg_order_value.total_spend) ELSE avg_order_value.total_spend END) >= (12.5) * avg_order_value.visit_count * ABS(NULLIF(3, 0))) OR (((CASE WHEN COALESCE(visit_count.visit_count, 0) < 0 THEN -(COALESCE(total_spend.total_spend, 0)) ELSE COALESCE(total_spend.total_spend, 0) END)) * 3 = (100) * ABS(NULLIF(COALESCE(visit_count.visit_count, 0), 0)))
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:5: Between a missing bound
--   when member.points between 10 and member.open_complaints
SELECT c.customer_id, 'Between a missing bound' AS rule
FROM customers AS c
WHERE CASE WHEN c.points IS NULL OR 10 IS NULL OR c.open_complaints IS NULL THEN NULL ELSE c.points >= 10 AND c.points <= c.open_complaints END
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:6: Tier order
--   when member.tier >= GOLD and big_spender
SELECT c.customer_id, 'Tier order' AS rule
FROM customers AS c
LEFT JOIN avg_amount_in_last_90_days ON avg_amount_in_last_90_days.customer_id = c.customer_id
WHERE ((CASE c.tier WHEN 'MEMBER' THEN 0 WHEN 'SILVER' THEN 1 WHEN 'GOLD' THEN 2 WHEN 'VIP' THEN 3 END) >= 2) AND (avg_amount_in_last_90_days.value > (40) * NULLIF(avg_amount_in_last_90_days.n, 0))
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:7: Feb 29 birthdays
--   when member.birthday within 3 days and weekday(today) != "Sunday"
SELECT c.customer_id, 'Feb 29 birthdays' AS rule
FROM customers AS c
WHERE (ABS((c.birthday - DATE '2025-12-01')) <= 3 OR (CAST(EXTRACT(YEAR FROM c.birthday) AS INTEGER) < 2025 AND ((CAST(EXTRACT(MONTH FROM c.birthday) AS INTEGER) * 100 + CAST(EXTRACT(DAY FROM c.birthday) AS INTEGER)) BETWEEN 1128 AND 1204))) AND TRUE
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:8: All and any
--   when all(orders in last 30 days where amount >= 20) and not any(orders where items contains "奶茶")
SELECT c.customer_id, 'All and any' AS rule
FROM customers AS c
LEFT JOIN all_orders_in_last_30_days_where ON all_orders_in_last_30_days_where.customer_id = c.customer_id
LEFT JOIN any_orders_where ON any_orders_where.customer_id = c.customer_id
WHERE COALESCE(all_orders_in_last_30_days_where.value, TRUE) AND (NOT COALESCE(any_orders_where.value, FALSE))
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:9: Texts
--   when member.name starts with "王" and member.city contains "京" and member.sugar_pref in ["less", "half"]
SELECT c.customer_id, 'Texts' AS rule
FROM customers AS c
WHERE (left(c.name, length('王')) = '王') AND (strpos(c.city, '京') > 0) AND (c.sugar_pref IN ('less', 'half'))
UNION ALL
-- Tests/PerkTests/Fixtures/sql/corners.perk:10: Favourite
--   when favorite_item == "Oolong Milk Tea" and last_visit in last 2 months and min(orders.ordered_at) < today - 1 year
SELECT c.customer_id, 'Favourite' AS rule
FROM customers AS c
LEFT JOIN favorite_item ON favorite_item.customer_id = c.customer_id
LEFT JOIN last_visit ON last_visit.customer_id = c.customer_id
LEFT JOIN min_ordered_at ON min_ordered_at.customer_id = c.customer_id
WHERE (favorite_item.favorite_item = 'Oolong Milk Tea') AND (last_visit.last_visit >= DATE '2025-10-01' AND last_visit.last_visit < DATE '2025-12-01') AND (min_ordered_at.value < DATE '2024-12-01')
ORDER BY customer_id, rule
