-- GET /api/v1/sales-orders/{id}/timeline for the same order: the order, its shipments (read
-- from their rows, not their audit entries), the order's own audit entries, approval requests,
-- invoices, payment allocations and their payments' numbers, then the actors' names. The
-- statements the API sends (`*` as in bench/order_page.sql); scripts/bench.sh fills in the ids.
SELECT * FROM "sales_orders" WHERE "sales_orders"."tenant_id" = '{{TENANT}}' AND "sales_orders"."deleted_at" IS NULL AND "sales_orders"."id" = '{{ORDER}}' LIMIT 1;
SELECT * FROM "shipments" WHERE "shipments"."tenant_id" = '{{TENANT}}' AND "shipments"."sales_order_id" = '{{ORDER}}';
SELECT * FROM "audit_log" WHERE "audit_log"."tenant_id" = '{{TENANT}}' AND "audit_log"."entity_id" = '{{ORDER}}' AND "audit_log"."entity_type" IN ('sales_order', 'collection_plan');
SELECT "approval_requests"."id" FROM "approval_requests" WHERE "approval_requests"."tenant_id" = '{{TENANT}}' AND "approval_requests"."document_kind" = 'sales_order' AND "approval_requests"."document_id" = '{{ORDER}}';
SELECT * FROM "invoices" WHERE "invoices"."tenant_id" = '{{TENANT}}' AND "invoices"."sales_order_id" = '{{ORDER}}';
SELECT * FROM "payment_allocations" WHERE "payment_allocations"."tenant_id" = '{{TENANT}}' AND "payment_allocations"."sales_order_id" = '{{ORDER}}';
SELECT "payments"."id", "payments"."number" FROM "payments" WHERE "payments"."tenant_id" = '{{TENANT}}' AND "payments"."id" IN ({{PAYMENTS}});
SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."tenant_id" = '{{TENANT}}' AND "users"."id" IN ({{ACTORS}});
