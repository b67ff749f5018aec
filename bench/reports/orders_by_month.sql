-- Orders dated in the period per month: how many, and what the customers owe on them.
SELECT {{month(so.order_date)}}, count(*), sum(so.total - so.cancelled_amount)
FROM sales_orders so
WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL AND so.currency = 'CNY'
  AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
  AND so.order_date >= {{FROM}} AND so.order_date <= {{TO}}
  AND so.owner_id IN {{OWNERS}}
GROUP BY 1;
-- On-time delivery: order lines shipped in the period against their promised dates.
SELECT count(*), count(CASE WHEN sh.shipped_on <= l.promised_date THEN 1 END)
FROM shipment_lines sl
JOIN shipments sh ON sh.id = sl.shipment_id
JOIN sales_order_lines l ON l.id = sl.order_line_id
JOIN sales_orders so ON so.id = l.sales_order_id
WHERE sh.tenant_id = {{T}} AND sh.shipped_on >= {{FROM}} AND sh.shipped_on <= {{TO}}
  AND l.promised_date IS NOT NULL AND so.deleted_at IS NULL AND so.currency = 'CNY'
  AND so.owner_id IN {{OWNERS}};
