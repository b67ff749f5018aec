-- POST /api/v1/leads reduced to its writes: the lead and its audit entry in one transaction,
-- with RETURNING as sea-orm sends them. Ids are UUID v7 like the server's (bench/uuid_v7.sql).
-- scripts/bench.sh fills in the tenant, the director (owner, creator, actor) and a `changes`
-- document the API itself wrote for one of its leads. The audit row's entity_id is a fresh id
-- rather than the lead's (pgbench cannot carry a RETURNING value over); the cost is the same.
\set n random(1, 99999999)
BEGIN;
INSERT INTO "leads" ("id", "tenant_id", "company_name", "contact_name", "title", "phone", "mobile", "email", "source", "region", "industry", "status", "owner_id", "notes", "version", "created_at", "updated_at", "created_by", "deleted_at") VALUES (bench_uuid_v7(), '{{TENANT}}', '压测SQL客户' || (:n)::text || '有限公司', '王伟', NULL, NULL, '138' || lpad((:n)::text, 8, '0'), NULL, 'phone', NULL, NULL, 'new', '{{DIRECTOR}}', NULL, 1, now(), now(), '{{DIRECTOR}}', NULL) RETURNING "id", "tenant_id", "company_name", "contact_name", "title", "phone", "mobile", "email", "source", "region", "industry", "status", "owner_id", "notes", "version", "created_at", "updated_at", "created_by", "deleted_at";
INSERT INTO "audit_log" ("id", "tenant_id", "actor_id", "action", "entity_type", "entity_id", "changes", "request_id", "occurred_at") VALUES (bench_uuid_v7(), '{{TENANT}}', '{{DIRECTOR}}', 'created', 'lead', bench_uuid_v7(), '{{CHANGES}}', gen_random_uuid()::text, now()) RETURNING "id", "tenant_id", "actor_id", "action", "entity_type", "entity_id", "changes", "request_id", "occurred_at";
COMMIT;
