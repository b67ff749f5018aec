//! Reconciliation: the figures an ERP reports for an order (its amount, what it invoiced and
//! collected, what each line shipped), one set per order and reporting system, so the CRM can
//! list every order where the two disagree. Amounts and quantities in 1/10,000 like the
//! orders'; a figure left out is NULL (not reported, not compared).

use sea_orm_migration::prelude::{DbErr, DeriveMigrationName, MigrationTrait, SchemaManager};
use sea_orm_migration::schema::{
    big_integer, big_integer_null, boolean, integer, string, timestamp_with_time_zone, uuid,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::columns::{n, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 3] = [
    "CREATE UNIQUE INDEX ux_order_figures_order ON order_figures (tenant_id, sales_order_id, external_source)",
    "CREATE INDEX ix_order_figures_reported ON order_figures (tenant_id, reported_at, id)",
    "CREATE INDEX ix_order_figure_lines_figures ON order_figure_lines (figures_id, position)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let figures = table("order_figures")
            .col(uuid(n("sales_order_id")))
            .col(string(n("external_source")))
            .col(big_integer_null(n("total")))
            .col(big_integer_null(n("invoiced")))
            .col(big_integer_null(n("paid")))
            .col(boolean(n("lines_reported")))
            .col(uuid(n("reported_by")))
            .col(timestamp_with_time_zone(n("reported_at")))
            .to_owned();
        manager.create_table(figures).await?;
        let lines = table("order_figure_lines")
            .col(uuid(n("figures_id")))
            .col(integer(n("position")))
            .col(big_integer(n("shipped_quantity")))
            .to_owned();
        manager.create_table(lines).await?;
        let db = manager.get_connection();
        for statement in INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
