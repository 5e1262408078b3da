-- perk VERSION for postgres: who matches each rule active on 2025-12-01
-- read-only; one row (customer_id, rule) per customer whose condition is definitely true
WITH
any_orders_in_last_60_days_where AS (
  -- any(orders in last 60 days where (items contains "Jasmine Green Tea")), as of 2025-12-01
  SELECT o.customer_id, COUNT(CASE WHEN EXISTS (SELECT 1 FROM unnest(string_to_array(o.items, ';')) AS i(item) WHERE btrim(i.item, ' ' || chr(9)) = 'Jasmine Green Tea') THEN 1 END) > 0 AS value
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01' AND CAST(o.ordered_at AS DATE) >= DATE '2025-10-02'
  GROUP BY o.customer_id
),
days_since_visit AS (
  -- days_since_visit: days from the latest order to today; missing with no orders, as of 2025-12-01
  SELECT o.customer_id, (DATE '2025-12-01' - MAX(CAST(o.ordered_at AS DATE))) AS days_since_visit
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
days_since_first_visit AS (
  -- days_since_first_visit: days from the first order to today; missing with no orders, as of 2025-12-01
  SELECT o.customer_id, (DATE '2025-12-01' - MIN(CAST(o.ordered_at AS DATE))) AS days_since_first_visit
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01'
  GROUP BY o.customer_id
),
sum_amount_in_last_90_days AS (
  -- sum(orders.amount in last 90 days), as of 2025-12-01
  SELECT o.customer_id, SUM(o.amount) AS value
  FROM orders AS o
  WHERE CAST(o.ordered_at AS DATE) < DATE '2025-12-01' AND CAST(o.ordered_at AS DATE) >= DATE '2025-09-02'
  GROUP BY o.customer_id
)
-- rules/complaint-recovery.perk:4: Complaint recovery
--   when member.open_complaints > 0
SELECT c.customer_id, 'Complaint recovery' AS rule
FROM customers AS c
WHERE c.open_complaints > 0
UNION ALL
-- rules/birthday.perk:4: Birthday drink
--   when birthday in next 3 days
SELECT c.customer_id, 'Birthday drink' AS rule
FROM customers AS c
WHERE CASE WHEN c.birthday >= DATE '2025-12-01' THEN c.birthday <= DATE '2025-12-04' ELSE ((CAST(EXTRACT(MONTH FROM c.birthday) AS INTEGER) * 100 + CAST(EXTRACT(DAY FROM c.birthday) AS INTEGER)) BETWEEN 1201 AND 1204) END
UNION ALL
-- rules/less-sugar.perk:4: Less-sugar fans
--   when member.sugar_pref == "less" and any(orders in last 60 days where items contains "Jasmine Green Tea")
SELECT c.customer_id, 'Less-sugar fans' AS rule
FROM customers AS c
LEFT JOIN any_orders_in_last_60_days_where ON any_orders_in_last_60_days_where.customer_id = c.customer_id
WHERE (c.sugar_pref = 'less') AND COALESCE(any_orders_in_last_60_days_where.value, FALSE)
UNION ALL
-- rules/member-day.perk:4: Member day double points
--   when day(today) == 1 and days_since_visit <= 90
SELECT c.customer_id, 'Member day double points' AS rule
FROM customers AS c
LEFT JOIN days_since_visit ON days_since_visit.customer_id = c.customer_id
WHERE TRUE AND (days_since_visit.days_since_visit <= 90)
UNION ALL
-- rules/second-visit.perk:4: Second-visit coupon
--   when visit_count == 1 and days_since_first_visit <= 3
SELECT c.customer_id, 'Second-visit coupon' AS rule
FROM customers AS c
LEFT JOIN visit_count ON visit_count.customer_id = c.customer_id
LEFT JOIN days_since_first_visit ON days_since_first_visit.customer_id = c.customer_id
WHERE (COALESCE(visit_count.visit_count, 0) = 1) AND (days_since_first_visit.days_since_first_visit <= 3)
UNION ALL
-- rules/tier-upgrade.perk:5: Upgrade to gold
--   when member.tier == SILVER and sum(orders.amount in last 90 days) >= 300
SELECT c.customer_id, 'Upgrade to gold' AS rule
FROM customers AS c
LEFT JOIN sum_amount_in_last_90_days ON sum_amount_in_last_90_days.customer_id = c.customer_id
WHERE ((CASE c.tier WHEN 'MEMBER' THEN 0 WHEN 'SILVER' THEN 1 WHEN 'GOLD' THEN 2 WHEN 'VIP' THEN 3 END) = 1) AND (COALESCE(sum_amount_in_last_90_days.value, 0) >= 300)
UNION ALL
-- rules/winback.perk:3: winback.perk:3
--   when member.tier == VIP and days_since_visit > 60
SELECT c.customer_id, 'winback.perk:3' AS rule
FROM customers AS c
LEFT JOIN days_since_visit ON days_since_visit.customer_id = c.customer_id
WHERE ((CASE c.tier WHEN 'MEMBER' THEN 0 WHEN 'SILVER' THEN 1 WHEN 'GOLD' THEN 2 WHEN 'VIP' THEN 3 END) = 3) AND (days_since_visit.days_since_visit > 60)
ORDER BY customer_id, rule
