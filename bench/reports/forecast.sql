-- Open pipeline by expected close month, with its weighted and commit parts.
SELECT {{month(o.expected_close_date)}}, count(*), sum(o.amount), sum(o.amount * o.probability),
       count(CASE WHEN o.probability >= 75 THEN 1 END), sum(CASE WHEN o.probability >= 75 THEN o.amount END)
FROM opportunities o
WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status = 'open' AND o.currency = 'CNY'
  AND o.expected_close_date >= {{MONTH_FROM}} AND o.expected_close_date <= {{MONTH_TO}}
  AND o.owner_id IN {{OWNERS}}
GROUP BY 1;
-- Deals that slipped: expected before the range, still open.
SELECT count(*), sum(o.amount)
FROM opportunities o
WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status = 'open' AND o.currency = 'CNY'
  AND o.expected_close_date < {{MONTH_FROM}}
  AND o.owner_id IN {{OWNERS}};
-- Won per month.
SELECT {{month(o.won_on)}}, count(*), sum(o.amount)
FROM opportunities o
WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status = 'won' AND o.currency = 'CNY'
  AND o.won_on >= {{MONTH_FROM}} AND o.won_on <= {{MONTH_TO}}
  AND o.owner_id IN {{OWNERS}}
GROUP BY 1;
