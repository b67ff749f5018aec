-- GET /api/v1/sales-orders/{id} for the order of 200 lines and 50 shipments, as the sales
-- director: the order, its lines, its shipments (each with its stored line count; their
-- 10,000 lines stay unread), the collection plan, the invoices, then the customer's and the
-- owner's names. The statements the API sends (sea-orm lists every column of the entity, the
-- same set as `*`); scripts/bench.sh fills in the ids.
SELECT * FROM "sales_orders" WHERE "sales_orders"."tenant_id" = '{{TENANT}}' AND "sales_orders"."deleted_at" IS NULL AND "sales_orders"."id" = '{{ORDER}}' LIMIT 1;
SELECT * FROM "sales_order_lines" WHERE "sales_order_lines"."tenant_id" = '{{TENANT}}' AND "sales_order_lines"."sales_order_id" = '{{ORDER}}' ORDER BY "sales_order_lines"."position" ASC;
SELECT * FROM "shipments" WHERE "shipments"."tenant_id" = '{{TENANT}}' AND "shipments"."sales_order_id" = '{{ORDER}}' ORDER BY "shipments"."shipped_on" ASC, "shipments"."id" ASC;
SELECT * FROM "instalments" WHERE "instalments"."tenant_id" = '{{TENANT}}' AND "instalments"."sales_order_id" = '{{ORDER}}' ORDER BY "instalments"."position" ASC;
SELECT * FROM "invoices" WHERE "invoices"."tenant_id" = '{{TENANT}}' AND "invoices"."sales_order_id" = '{{ORDER}}' ORDER BY "invoices"."issued_on" ASC, "invoices"."id" ASC;
SELECT "customers"."id", "customers"."name" FROM "customers" WHERE "customers"."tenant_id" = '{{TENANT}}' AND "customers"."id" IN ('{{CUSTOMER}}');
SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."tenant_id" = '{{TENANT}}' AND "users"."id" IN ('{{OWNER}}');
