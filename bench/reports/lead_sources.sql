-- Leads created in the period per source: how many, qualified (or converted), converted.
SELECT l.source, count(*),
       sum(CASE WHEN l.qualified_at IS NOT NULL OR l.converted_at IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN l.converted_at IS NOT NULL THEN 1 ELSE 0 END)
FROM leads l
WHERE l.tenant_id = {{T}} AND l.deleted_at IS NULL AND l.owner_id IS NOT NULL
  AND l.created_at >= {{START}} AND l.created_at < {{END}}
  AND l.owner_id IN {{OWNERS}}
GROUP BY l.source;
-- The deals won from them, per source and currency, and how many leads have one: a deal
-- linked to the lead, or the customer's deal created at or after the lead's conversion and
-- before the customer's next converted lead.
WITH conversions AS (
  SELECT l.id, l.source, l.owner_id, l.created_at, l.customer_id, l.converted_at,
         lead(l.converted_at) OVER (PARTITION BY l.customer_id ORDER BY l.converted_at, l.id) AS next_at
  FROM leads l
  WHERE l.tenant_id = {{T}} AND l.deleted_at IS NULL AND l.converted_at IS NOT NULL
), counted AS (
  SELECT c.* FROM conversions c
  WHERE c.owner_id IS NOT NULL AND c.created_at >= {{START}} AND c.created_at < {{END}}
    AND c.owner_id IN {{OWNERS}}
)
SELECT w.source, w.currency, count(DISTINCT w.lead_id), count(*), sum(w.amount)
FROM (
  SELECT c.source, c.id AS lead_id, o.currency, o.amount
  FROM counted c
  JOIN opportunities o ON o.tenant_id = {{T}} AND o.lead_id = c.id
   AND o.status = 'won' AND o.deleted_at IS NULL
  UNION ALL
  SELECT c.source, c.id, o.currency, o.amount
  FROM counted c
  JOIN opportunities o ON o.tenant_id = {{T}} AND o.customer_id = c.customer_id
   AND o.lead_id IS NULL AND o.status = 'won' AND o.deleted_at IS NULL
   AND o.created_at >= c.converted_at AND (c.next_at IS NULL OR o.created_at < c.next_at)
) w
GROUP BY w.source, w.currency;
