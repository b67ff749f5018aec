-- Where the pipeline stands: open deals now, won and lost in the period, per stage.
SELECT o.stage_id, o.currency, count(*), sum(o.amount), sum(o.amount * o.probability)
FROM opportunities o
WHERE o.tenant_id = {{T}} AND o.pipeline_id = {{PIPELINE}} AND o.deleted_at IS NULL
  AND (o.status = 'open' OR (o.closed_at >= {{START}} AND o.closed_at < {{END}}))
  AND o.owner_id IN {{OWNERS}}
GROUP BY o.stage_id, o.currency;
-- Deals that reached each stage for the first time in the period, and how many went further.
SELECT c.to_stage_id, count(*), sum(CASE WHEN c.advanced THEN 1 ELSE 0 END)
FROM opportunity_stage_changes c
WHERE c.tenant_id = {{T}} AND c.first_entry = TRUE
  AND c.changed_at >= {{START}} AND c.changed_at < {{END}}
  AND c.to_stage_id IN (SELECT s.id FROM pipeline_stages s WHERE s.pipeline_id = {{PIPELINE}})
  AND c.opportunity_id NOT IN (SELECT d.id FROM opportunities d WHERE d.tenant_id = {{T}} AND d.deleted_at IS NOT NULL)
  AND c.opportunity_id IN (SELECT m.id FROM opportunities m WHERE m.tenant_id = {{T}} AND m.owner_id IN {{OWNERS}})
GROUP BY c.to_stage_id;
-- Who left each stage in the period, and the time they had spent in it.
SELECT c.from_stage_id, count(*), sum(c.seconds_in_previous)
FROM opportunity_stage_changes c
WHERE c.tenant_id = {{T}} AND c.from_stage_id IS NOT NULL
  AND c.changed_at >= {{START}} AND c.changed_at < {{END}}
  AND c.from_stage_id IN (SELECT s.id FROM pipeline_stages s WHERE s.pipeline_id = {{PIPELINE}})
  AND c.opportunity_id NOT IN (SELECT d.id FROM opportunities d WHERE d.tenant_id = {{T}} AND d.deleted_at IS NOT NULL)
  AND c.opportunity_id IN (SELECT m.id FROM opportunities m WHERE m.tenant_id = {{T}} AND m.owner_id IN {{OWNERS}})
GROUP BY c.from_stage_id;
