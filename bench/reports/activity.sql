-- Follow-ups in the period per week (Monday, China time), recorder and kind.
SELECT {{week(a.occurred_at)}}, a.created_by, a.kind, count(*)
FROM activities a
WHERE a.tenant_id = {{T}} AND a.deleted_at IS NULL
  AND a.occurred_at >= {{START}} AND a.occurred_at < {{END}}
  AND a.created_by IN {{OWNERS}}
GROUP BY 1, 2, 3;
-- Owned customers not followed up since the cutoff: how many, and the 50 longest idle.
SELECT count(*)
FROM customers c
WHERE c.tenant_id = {{T}} AND c.owner_id IS NOT NULL AND c.deleted_at IS NULL
  AND c.merged_into IS NULL AND coalesce(c.last_activity_at, c.created_at) < {{IDLE_BEFORE}}
  AND c.owner_id IN {{OWNERS}};
SELECT c.id, c.name, u.name, c.last_activity_at
FROM customers c
JOIN users u ON u.id = c.owner_id
WHERE c.tenant_id = {{T}} AND c.owner_id IS NOT NULL AND c.deleted_at IS NULL
  AND c.merged_into IS NULL AND coalesce(c.last_activity_at, c.created_at) < {{IDLE_BEFORE}}
  AND c.owner_id IN {{OWNERS}}
ORDER BY coalesce(c.last_activity_at, c.created_at), c.id
LIMIT 50;
