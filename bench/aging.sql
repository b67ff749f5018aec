-- GET /api/v1/receivables/aging?group_by=customer (KEY customer_id) or group_by=department
-- (KEY owner_id; the API then adds up the owners' rows per department) as the sales director
-- (scope "all": no owner filter), once the day's balances are counted: two key lookups that
-- find them current, then one GROUP BY over the tenant's aging balances in CNY (one row per
-- customer and owner). As sea-orm sends it, with the values written in instead of bound;
-- scripts/bench.sh fills in the tenant and the key column.
SELECT "as_of" FROM "aging_refreshes" WHERE "tenant_id" = '{{TENANT}}';
SELECT "customer_id" FROM "aging_stale" WHERE "tenant_id" = '{{TENANT}}' LIMIT 1;
SELECT "aging_balances"."{{KEY}}" AS "key", CAST(SUM("aging_balances"."not_due") AS BIGINT) AS "not_due", CAST(SUM("aging_balances"."days_1_to_30") AS BIGINT) AS "days_1_to_30", CAST(SUM("aging_balances"."days_31_to_60") AS BIGINT) AS "days_31_to_60", CAST(SUM("aging_balances"."days_61_to_90") AS BIGINT) AS "days_61_to_90", CAST(SUM("aging_balances"."days_91_to_180") AS BIGINT) AS "days_91_to_180", CAST(SUM("aging_balances"."over_180") AS BIGINT) AS "over_180" FROM "aging_balances" WHERE "aging_balances"."tenant_id" = '{{TENANT}}' AND "aging_balances"."currency" = 'CNY' GROUP BY "aging_balances"."{{KEY}}";
