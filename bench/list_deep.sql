-- The same list 10,000 rows deep: the keyset condition from the cursor (created_at, id of the
-- last row of page 200). scripts/bench.sh fills in the tenant, the decoded cursor and the
-- page's distinct owner ids, the values the API binds.
SELECT "leads"."id", "leads"."tenant_id", "leads"."company_name", "leads"."contact_name", "leads"."title", "leads"."phone", "leads"."mobile", "leads"."email", "leads"."source", "leads"."region", "leads"."industry", "leads"."status", "leads"."owner_id", "leads"."notes", "leads"."version", "leads"."created_at", "leads"."updated_at", "leads"."created_by", "leads"."deleted_at" FROM "leads" WHERE "leads"."tenant_id" = '{{TENANT}}' AND "leads"."deleted_at" IS NULL AND "leads"."status" = 'new' AND ("leads"."created_at", "leads"."id") < ('{{CURSOR_AT}}', '{{CURSOR_ID}}') ORDER BY "leads"."created_at" DESC, "leads"."id" DESC LIMIT 51;
SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."tenant_id" = '{{TENANT}}' AND "users"."id" IN ({{OWNERS}});
