-- After the sums by customer (bench/aging.sql), the aging API names every customer of the
-- table: one IN list of all of them, as crm_persistence::customers::names sends it (one bound
-- value per customer). scripts/bench.sh fills in the ids the sums returned.
SELECT "customers"."id", "customers"."name" FROM "customers" WHERE "customers"."tenant_id" = '{{TENANT}}' AND "customers"."id" IN ({{IDS}});
