//! The customer-value report asks, per customer, whether they ordered before a day (new or
//! repeat customer) and when they last ordered (dormant customers): orders by customer and
//! date, tenant by tenant. The index replaces the one by customer alone, which it covers.

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

const STATEMENTS: [&str; 2] = [
    "CREATE INDEX ix_sales_orders_customer_date ON sales_orders (tenant_id, customer_id, order_date)",
    "DROP INDEX ix_sales_orders_customer",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in STATEMENTS {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
