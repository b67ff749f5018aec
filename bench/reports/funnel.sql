-- Where the pipeline stands: open deals now, won and lost in the period, per stage.
SELECT o.stage_id, o.currency, count(*), sum(o.amount), sum(o.amount * o.probability)
FROM opportunities o
WHERE o.tenant_id = {{T}} AND o.pipeline_id = {{PIPELINE}} AND o.deleted_at IS NULL
  AND (o.status = 'open' OR (o.closed_at >= {{START}} AND o.closed_at < {{END}}))
  AND o.owner_id IN {{OWNERS}}
GROUP BY o.stage_id, o.currency;
-- Who entered each stage in the period, and how many of them got further since.
SELECT c.to_stage_id, count(DISTINCT c.opportunity_id),
       count(DISTINCT CASE WHEN EXISTS (
           SELECT 1 FROM opportunity_stage_changes l JOIN pipeline_stages r ON r.id = l.to_stage_id
           WHERE l.opportunity_id = c.opportunity_id AND l.changed_at > c.changed_at
             AND (r.kind = 'won' OR (r.kind = 'open' AND r.position > s.position)))
         THEN c.opportunity_id END)
FROM opportunity_stage_changes c
JOIN pipeline_stages s ON s.id = c.to_stage_id
JOIN opportunities o ON o.id = c.opportunity_id
WHERE c.tenant_id = {{T}} AND c.changed_at >= {{START}} AND c.changed_at < {{END}}
  AND o.pipeline_id = {{PIPELINE}} AND o.deleted_at IS NULL
  AND o.owner_id IN {{OWNERS}}
GROUP BY c.to_stage_id;
-- Who left each stage in the period, and the time they had spent in it.
SELECT c.from_stage_id, count(*), sum(c.seconds_in_previous)
FROM opportunity_stage_changes c
JOIN opportunities o ON o.id = c.opportunity_id
WHERE c.tenant_id = {{T}} AND c.from_stage_id IS NOT NULL
  AND c.changed_at >= {{START}} AND c.changed_at < {{END}}
  AND o.pipeline_id = {{PIPELINE}} AND o.deleted_at IS NULL
  AND o.owner_id IN {{OWNERS}}
GROUP BY c.from_stage_id;
