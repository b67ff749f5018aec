-- Receivables for the aging run, bulk-inserted in one transaction by scripts/bench.sh:
-- {{ORDERS}} orders of 4 instalments each over the first {{DEBTORS}} customers that have an
-- owner (round-robin), each order owned by its customer's owner, so the reps and their
-- departments carry them as they carry the customers. Only what an order and an instalment
-- need is filled: no lines, shipments or payments behind them.
--
-- Dates: order (and confirmation) dates spread over the last 430 days; instalment k is due
-- 30 + 10k days after confirmation, so due dates spread from 400 days ago to 60 days ahead.
-- Orders of the last 30 days are still `confirmed` (their last instalment waits for the full
-- shipment: no due date yet), those of the 60 days before `shipped`, older ones `completed`.
-- Every instalment is open; half the orders paid half of their first instalment. Ids are
-- time-ordered like the server's UUID v7 (an old millisecond prefix), so the inserts land at
-- the right edge of the primary-key indexes.
BEGIN;

CREATE TEMP TABLE bench_debtors ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY id) - 1)::bigint AS n, id AS customer_id, owner_id
FROM (SELECT id, owner_id FROM customers
      WHERE tenant_id = '{{TENANT}}' AND owner_id IS NOT NULL AND deleted_at IS NULL AND merged_into IS NULL
      ORDER BY id LIMIT {{DEBTORS}}) picked;

CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
SELECT *, CASE WHEN confirmed_on > current_date - 30 THEN 'confirmed'
               WHEN confirmed_on > current_date - 90 THEN 'shipped'
               ELSE 'completed' END AS status
FROM (SELECT o.i,
             ('018f0000-0000-7000-8000-' || lpad(to_hex(o.i), 12, '0'))::uuid AS id,
             d.customer_id,
             d.owner_id,
             current_date - 430 + ((o.i * 7919) % 431)::int AS confirmed_on,
             -- 1,000 to 99,999 CNY per instalment, in 1/10,000 units.
             (1000 + (o.i * 104729) % 99000) * 10000 AS instalment,
             CASE WHEN o.i % 2 = 0 THEN (1000 + (o.i * 104729) % 99000) * 5000 ELSE 0 END AS paid
      FROM generate_series(0::bigint, {{ORDERS}} - 1) AS o(i)
      JOIN bench_debtors d ON d.n = o.i % (SELECT count(*) FROM bench_debtors)) generated;

INSERT INTO sales_orders (id, tenant_id, number, customer_id, currency, order_date,
    header_discount_percent, lines_total, total_excl_vat, vat_amount, total, max_discount_percent,
    cancelled_amount, received_amount, invoiced_amount, status, owner_id, confirmed_on,
    first_shipped_on, fully_shipped_on, accepted_on, confirmed_at, created_by, deleted_at,
    version, created_at, updated_at)
SELECT id, '{{TENANT}}', 'SO-B-' || lpad(i::text, 7, '0'), customer_id, 'CNY', confirmed_on,
    0, 4 * instalment, round(4 * instalment / 1.13), 4 * instalment - round(4 * instalment / 1.13),
    4 * instalment, 0, 0, paid, 0, status, owner_id, confirmed_on,
    CASE WHEN status <> 'confirmed' THEN confirmed_on + 7 END,
    CASE WHEN status <> 'confirmed' THEN confirmed_on + 14 END,
    CASE WHEN status = 'completed' THEN confirmed_on + 21 END,
    (confirmed_on + time '10:00') AT TIME ZONE 'Asia/Shanghai', '{{DIRECTOR}}', NULL,
    1, (confirmed_on + time '10:00') AT TIME ZONE 'Asia/Shanghai', (confirmed_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
FROM bench_orders;

INSERT INTO instalments (id, tenant_id, sales_order_id, customer_id, owner_id, currency, position,
    name, percent, amount, due_rule, due_date, paid_amount, outstanding, confirmed,
    overdue_announced, version, created_at, updated_at)
SELECT ('018f0001-0000-7000-8000-' || lpad(to_hex(o.i * 4 + k), 12, '0'))::uuid, '{{TENANT}}', o.id,
    o.customer_id, o.owner_id, 'CNY', k, '第' || (k + 1) || '期', 250000, o.instalment,
    CASE WHEN waits THEN '{"kind":"after_event","event":"fully_shipped","days":30}'
         ELSE '{"kind":"after_event","event":"order_confirmed","days":' || (30 + 10 * k) || '}' END,
    CASE WHEN NOT waits THEN o.confirmed_on + 30 + 10 * k END,
    CASE WHEN k = 0 THEN o.paid ELSE 0 END,
    o.instalment - CASE WHEN k = 0 THEN o.paid ELSE 0 END,
    TRUE,
    NOT waits AND o.confirmed_on + 30 + 10 * k < current_date,
    1, (o.confirmed_on + time '10:00') AT TIME ZONE 'Asia/Shanghai', (o.confirmed_on + time '10:00') AT TIME ZONE 'Asia/Shanghai'
FROM bench_orders o
CROSS JOIN generate_series(0, 3) AS k
CROSS JOIN LATERAL (SELECT o.status = 'confirmed' AND k = 3 AS waits) w;

COMMIT;
