-- After the sums by owner (bench/aging.sql), the aging API by department reads the owners'
-- departments and the departments' names, then adds up the rows per department in memory.
-- scripts/bench.sh fills in the owners the sums returned and their departments.
SELECT "users"."id", "users"."department_id" FROM "users" WHERE "users"."tenant_id" = '{{TENANT}}' AND "users"."id" IN ({{OWNERS}});
SELECT "departments"."id", "departments"."name" FROM "departments" WHERE "departments"."tenant_id" = '{{TENANT}}' AND "departments"."id" IN ({{DEPARTMENTS}});
