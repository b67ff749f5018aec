-- Customer value, per ABC class: the period's revenue per customer, ranked (largest first,
-- then by id), each customer's class from the revenue of those above it, and the part of the
-- class's revenue from the top fifth of the customers.
WITH per AS (
  SELECT so.customer_id, sum(so.total - so.cancelled_amount) AS revenue, count(*) AS orders
  FROM sales_orders so
  WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL AND so.currency = 'CNY'
    AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
    AND so.order_date >= {{MONTH_FROM}} AND so.order_date <= {{MONTH_TO}}
    AND so.owner_id IN {{OWNERS}}
  GROUP BY so.customer_id
), ranked AS (
  SELECT customer_id, revenue, orders, row_number() OVER w AS rank,
         sum(revenue) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
         sum(revenue) OVER () AS total, count(*) OVER () AS customers
  FROM per WINDOW w AS (ORDER BY revenue DESC, customer_id)
), classed AS (
  SELECT ranked.*, CASE WHEN (running - revenue) * 100 < total * 80 THEN 'a'
                        WHEN (running - revenue) * 100 < total * 95 THEN 'b' ELSE 'c' END AS class
  FROM ranked
)
SELECT class, count(*), sum(revenue), sum(CASE WHEN (rank - 1) * 5 < customers THEN revenue ELSE 0 END)
FROM classed GROUP BY class;
-- The twenty largest, with their names.
WITH per AS (
  SELECT so.customer_id, sum(so.total - so.cancelled_amount) AS revenue, count(*) AS orders
  FROM sales_orders so
  WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL AND so.currency = 'CNY'
    AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
    AND so.order_date >= {{MONTH_FROM}} AND so.order_date <= {{MONTH_TO}}
    AND so.owner_id IN {{OWNERS}}
  GROUP BY so.customer_id
), ranked AS (
  SELECT customer_id, revenue, orders, row_number() OVER w AS rank,
         sum(revenue) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
         sum(revenue) OVER () AS total
  FROM per WINDOW w AS (ORDER BY revenue DESC, customer_id)
)
SELECT ranked.rank, c.name, ranked.revenue, ranked.orders, ranked.running, ranked.total
FROM ranked JOIN customers c ON c.id = ranked.customer_id
WHERE ranked.rank <= 20
ORDER BY ranked.rank;
-- New against repeat: the period's customers with or without an order before the period.
WITH per AS (
  SELECT so.customer_id, sum(so.total - so.cancelled_amount) AS revenue
  FROM sales_orders so
  WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL AND so.currency = 'CNY'
    AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
    AND so.order_date >= {{MONTH_FROM}} AND so.order_date <= {{MONTH_TO}}
    AND so.owner_id IN {{OWNERS}}
  GROUP BY so.customer_id
)
SELECT CASE WHEN EXISTS (
         SELECT 1 FROM sales_orders e
         WHERE e.tenant_id = {{T}} AND e.customer_id = per.customer_id
           AND e.order_date < {{MONTH_FROM}} AND e.deleted_at IS NULL
           AND e.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
           AND e.owner_id IN {{OWNERS}}
       ) THEN 1 ELSE 0 END AS repeat, count(*), sum(revenue)
FROM per GROUP BY 1;
-- Dormant: customers whose last order is on or before the cutoff, the longest dormant first,
-- with their owner, what they ordered in all in CNY, and how many there are.
SELECT so.customer_id, c.name, u.name, max(so.order_date) AS last_order,
       sum(CASE WHEN so.currency = 'CNY' THEN so.total - so.cancelled_amount ELSE 0 END),
       count(*) OVER ()
FROM sales_orders so
JOIN customers c ON c.id = so.customer_id
LEFT JOIN users u ON u.id = c.owner_id
WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL
  AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
  AND c.deleted_at IS NULL AND c.merged_into IS NULL
  AND so.owner_id IN {{OWNERS}}
GROUP BY so.customer_id, c.name, u.name
HAVING max(so.order_date) <= {{CUTOFF}}
ORDER BY last_order, so.customer_id
LIMIT 50;
