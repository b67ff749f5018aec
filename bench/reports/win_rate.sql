-- Deals closed in the period per owner (with the owner's name), won or lost, per currency.
SELECT u.id, u.name, o.status, o.currency, count(*), sum(o.amount),
       sum(CASE WHEN o.status = 'won' THEN {{seconds(o.closed_at, o.created_at)}} END)
FROM opportunities o
JOIN users u ON u.id = o.owner_id
WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status IN ('won', 'lost')
  AND o.closed_at >= {{START}} AND o.closed_at < {{END}}
  AND o.owner_id IN {{OWNERS}}
GROUP BY u.id, u.name, o.status, o.currency;
