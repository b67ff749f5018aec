-- Won amount per owner in the quarter, with the owner's name and target.
SELECT u.id, u.name, won.amount, t.amount
FROM users u
LEFT JOIN (SELECT o.owner_id, sum(o.amount) AS amount
           FROM opportunities o
           WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status = 'won' AND o.currency = 'CNY'
             AND o.won_on >= {{Q_FROM}} AND o.won_on <= {{Q_TO}}
           GROUP BY o.owner_id) won ON won.owner_id = u.id
LEFT JOIN targets t ON t.tenant_id = u.tenant_id AND t.subject_id = u.id AND t.metric = 'won_amount'
  AND t.period = {{QUARTER}} AND t.currency = 'CNY'
WHERE u.tenant_id = {{T}}
  AND u.id IN {{OWNERS}}
  AND (won.amount IS NOT NULL OR t.amount IS NOT NULL);
