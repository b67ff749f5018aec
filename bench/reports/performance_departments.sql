-- Won amount per department in the quarter (each rolled up over the departments below it).
SELECT d.id, d.name, d.path, sum(won.amount)
FROM departments d
LEFT JOIN departments below ON below.tenant_id = d.tenant_id AND below.path LIKE d.path || '%'
LEFT JOIN users u ON u.department_id = below.id
LEFT JOIN (SELECT o.owner_id, sum(o.amount) AS amount
           FROM opportunities o
           WHERE o.tenant_id = {{T}} AND o.deleted_at IS NULL AND o.status = 'won' AND o.currency = 'CNY'
             AND o.won_on >= {{Q_FROM}} AND o.won_on <= {{Q_TO}}
           GROUP BY o.owner_id) won ON won.owner_id = u.id
WHERE d.tenant_id = {{T}}
  AND d.path LIKE {{PATH_PREFIX}}
GROUP BY d.id, d.name, d.path;
