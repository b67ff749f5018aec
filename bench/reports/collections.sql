-- Per month: instalments due and what has been paid on them.
SELECT {{month(i.due_date)}}, sum(i.amount), sum(i.paid_amount)
FROM instalments i
WHERE i.tenant_id = {{T}} AND i.confirmed AND i.currency = 'CNY'
  AND i.due_date >= {{MONTH_FROM}} AND i.due_date <= {{MONTH_TO}}
  AND i.owner_id IN {{OWNERS}}
GROUP BY 1;
-- Per month: payments received, as allocated.
SELECT {{month(p.received_on)}}, sum(a.amount)
FROM payment_allocations a
JOIN payments p ON p.id = a.payment_id
JOIN instalments i ON i.id = a.instalment_id
WHERE a.tenant_id = {{T}} AND p.currency = 'CNY'
  AND p.received_on >= {{MONTH_FROM}} AND p.received_on <= {{MONTH_TO}}
  AND i.owner_id IN {{OWNERS}}
GROUP BY 1;
-- DSO: outstanding now, and what was ordered in the period.
SELECT sum(i.outstanding)
FROM instalments i
WHERE i.tenant_id = {{T}} AND i.confirmed AND i.currency = 'CNY' AND i.outstanding > 0
  AND i.owner_id IN {{OWNERS}};
SELECT sum(so.total - so.cancelled_amount)
FROM sales_orders so
WHERE so.tenant_id = {{T}} AND so.deleted_at IS NULL AND so.currency = 'CNY'
  AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed')
  AND so.order_date >= {{MONTH_FROM}} AND so.order_date <= {{TO}}
  AND so.owner_id IN {{OWNERS}};
