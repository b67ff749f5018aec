//! Reports read records by the day something happened to them, tenant by tenant: deals by
//! the instant they closed and, while open, by the day they are expected to close; orders by
//! their date; instalments by their due date; payments by the day they came in; shipments by
//! the day they left. Without these, a report over one year of a large tenant reads all of its
//! history.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 6] = [
    "CREATE INDEX ix_opportunities_closed ON opportunities (tenant_id, closed_at) WHERE closed_at IS NOT NULL",
    "CREATE INDEX ix_opportunities_open_close ON opportunities (tenant_id, status, expected_close_date)",
    "CREATE INDEX ix_sales_orders_date ON sales_orders (tenant_id, order_date)",
    "CREATE INDEX ix_instalments_due ON instalments (tenant_id, due_date)",
    "CREATE INDEX ix_payments_received ON payments (tenant_id, received_on)",
    "CREATE INDEX ix_shipments_shipped ON shipments (tenant_id, shipped_on)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
