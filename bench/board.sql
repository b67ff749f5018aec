-- GET /api/v1/opportunities/board (50 cards per column) as the sales director (scope "all"):
-- the default pipeline and its stages, the per-stage totals per currency, then per column
-- the first cards with their customer, owner and stage names. The API sends the same
-- statements, with the names fetched per column by id instead of joined.
SELECT "id", "name", "is_default", "version" FROM "pipelines" WHERE "tenant_id" = '{{TENANT}}' AND "is_default" = TRUE LIMIT 1;
SELECT "id", "name", "kind", "probability" FROM "pipeline_stages" WHERE "tenant_id" = '{{TENANT}}' AND "pipeline_id" IN ('{{PIPELINE}}') ORDER BY "position";
SELECT "stage_id", "currency", "probability", COUNT(*), CAST(SUM("amount") AS BIGINT) FROM "opportunities" WHERE "tenant_id" = '{{TENANT}}' AND "deleted_at" IS NULL AND "pipeline_id" = '{{PIPELINE}}' AND ("status" = 'open' OR "closed_at" >= '{{SINCE}}') GROUP BY "stage_id", "currency", "probability";
{{CARDS}}
