-- GET /api/v1/leads?limit=50&status=new&sort=-created_at as the sales director (scope "all":
-- no owner subquery): the page query (limit + 1 to learn whether a next page exists), then the
-- owner names of the page. Statements as sea-orm sends them; scripts/bench.sh fills in the
-- tenant id and the page's distinct owner ids, the values the API binds.
SELECT "leads"."id", "leads"."tenant_id", "leads"."company_name", "leads"."contact_name", "leads"."title", "leads"."phone", "leads"."mobile", "leads"."email", "leads"."source", "leads"."region", "leads"."industry", "leads"."status", "leads"."owner_id", "leads"."notes", "leads"."version", "leads"."created_at", "leads"."updated_at", "leads"."created_by", "leads"."deleted_at" FROM "leads" WHERE "leads"."tenant_id" = '{{TENANT}}' AND "leads"."deleted_at" IS NULL AND "leads"."status" = 'new' ORDER BY "leads"."created_at" DESC, "leads"."id" DESC LIMIT 51;
SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."tenant_id" = '{{TENANT}}' AND "users"."id" IN ({{OWNERS}});
