//! The orders' monthly rollups, per month of the order date (its first day), department of
//! the owner and currency: `order_months` (orders confirmed or further, and their amount net
//! of cancellations) and `order_product_months` (per product, the nil id for lines without
//! one: the orders with such a line, and the lines' quantity and net amount). The application
//! keeps them in step in the transaction of every write that moves them
//! (`crm_persistence::rollups`); this migration sums what was recorded before. And two
//! covering indexes of the live orders with what customer value sums over them: by date (the
//! period's revenue per customer) and by customer (each one's last order), so those sums
//! never visit the table (0.54 → 0.28 s for the four queries at 250,000 orders).

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::columns::rollup;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `{month}` is the first day of an order's month; `{none}` the nil id.
const ORDERS: &str = "INSERT INTO order_months (tenant_id, month, department_id, currency, orders, amount) \
   SELECT so.tenant_id, {month}, u.department_id, so.currency, COUNT(*), \
     SUM(so.total - so.cancelled_amount) \
   FROM sales_orders so JOIN users u ON u.id = so.owner_id \
   WHERE so.deleted_at IS NULL \
     AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed') \
   GROUP BY so.tenant_id, {month}, u.department_id, so.currency";

const PRODUCTS: &str = "INSERT INTO order_product_months \
     (tenant_id, month, department_id, currency, product_id, orders, quantity, amount) \
   SELECT so.tenant_id, {month}, u.department_id, so.currency, COALESCE(l.product_id, {none}), \
     COUNT(DISTINCT so.id), SUM(l.quantity), SUM(l.net_amount) \
   FROM sales_order_lines l \
   JOIN sales_orders so ON so.id = l.sales_order_id \
   JOIN users u ON u.id = so.owner_id \
   WHERE so.deleted_at IS NULL \
     AND so.status IN ('confirmed', 'partially_shipped', 'shipped', 'completed') \
   GROUP BY so.tenant_id, {month}, u.department_id, so.currency, COALESCE(l.product_id, {none})";

const BOOK: [&str; 2] = [
    "CREATE INDEX ix_sales_orders_book_by_date ON sales_orders \
       (tenant_id, order_date, customer_id, status, currency, owner_id, total, cancelled_amount) \
       WHERE deleted_at IS NULL",
    "CREATE INDEX ix_sales_orders_book_by_customer ON sales_orders \
       (tenant_id, customer_id, order_date, status, currency, owner_id, total, cancelled_amount) \
       WHERE deleted_at IS NULL",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(rollup(
                "order_months",
                &["tenant_id", "month", "department_id", "currency"],
                &["orders", "amount"],
            ))
            .await?;
        manager
            .create_table(rollup(
                "order_product_months",
                &[
                    "tenant_id",
                    "month",
                    "department_id",
                    "currency",
                    "product_id",
                ],
                &["orders", "quantity", "amount"],
            ))
            .await?;
        let (month, none) = match manager.get_database_backend() {
            DatabaseBackend::Postgres => (
                "CAST(date_trunc('month', so.order_date) AS DATE)",
                "'00000000-0000-0000-0000-000000000000'::uuid",
            ),
            _ => ("date(so.order_date, 'start of month')", "zeroblob(16)"),
        };
        let db = manager.get_connection();
        for statement in [ORDERS, PRODUCTS] {
            db.execute_unprepared(&statement.replace("{month}", month).replace("{none}", none))
                .await?;
        }
        for statement in BOOK {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
